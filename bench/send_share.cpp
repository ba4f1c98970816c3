// Benchmark: the kernel's own share of an apply, the wall time of sending a batch built
// beforehand (netlink transfer and nf_tables' work), without reading, checking or building.
// usage: send_share FILE NETNS   (prints seconds; the namespace's ruleset is replaced)
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "backends/netlink/batch.hpp"
#include "backends/netlink/kernel_session.hpp"
#include "driver/apply.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: send_share FILE NETNS\n";
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    ipt2nft::TranslateRequest request;
    request.inputs.push_back({argv[1], text.str()});
    ipt2nft::TranslateResult result;
    if (!ipt2nft::kernel_ruleset(request, result)) {
        std::cerr << "send_share: the input has errors (ipt2nft apply shows them)\n";
        return 1;
    }
    ipt2nft::netlink::Batch batch = ipt2nft::netlink::build_batch(result.ruleset, {}, result.diags);
    ipt2nft::netlink::KernelSession session(argv[2]);
    auto start = std::chrono::steady_clock::now();
    ipt2nft::netlink::SendOutcome sent = session.send(batch);
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (!sent.failure.empty() || !sent.refused.empty()) {
        std::cerr << "send_share: the kernel did not take the batch " << sent.failure << "\n";
        return 1;
    }
    std::cout << took.count() << "\n";
    return 0;
}
