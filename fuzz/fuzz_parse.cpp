// libFuzzer target: arbitrary bytes through both input formats and the whole pipeline to every
// output format (the kernel programs' lowering included) and to apply's netlink batch (built,
// not sent), the diagnostics rendered as a user sees them; any crash, hang or sanitizer report is a bug, whatever the
// diagnostics say. So is a save file that reads differently in small batches on several threads than in one.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "../tests/save_reading.hpp"
#include "backends/netlink/batch.hpp"
#include "driver/apply.hpp"
#include "driver/translate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    // Each family, each output: the nft script, its JSON, the kernel programs (the lowering), the IR text.
    using Format = ipt2nft::TranslateRequest::Format;
    for (auto family : {ipt2nft::Family::ipv4, ipt2nft::Family::ipv6})
        for (auto format : {Format::nft, Format::json, Format::netlink, Format::ir}) {
            ipt2nft::TranslateRequest request;
            request.inputs.push_back({"fuzz", text});
            request.family = family;
            request.format = format;
            std::ostringstream out;
            auto result = ipt2nft::translate(std::move(request), out);
            result.diags.render(result.sources, out);
        }
    // apply's batch, replacing the tables and adding to them.
    for (bool noflush : {false, true}) {
        ipt2nft::TranslateRequest request;
        request.inputs.push_back({"fuzz", text});
        request.script.noflush = noflush;
        ipt2nft::TranslateResult result;
        if (!ipt2nft::kernel_ruleset(request, result)) continue;
        ipt2nft::netlink::build_batch(result.ruleset, {true, false, noflush}, result.diags);
    }
    // The same bytes as one command line (`-c`), where the first line is the whole input.
    std::ostringstream out;
    auto result = ipt2nft::translate_command(text.substr(0, text.find('\n')), std::nullopt, {},
                                             ipt2nft::TranslateRequest::Format::nft, out);
    result.diags.render(result.sources, out);
    // The save reader in one batch, and in batches of a few bytes on three threads.
    auto whole = ipt2nft::test::read(text, {text.size() + 1, 1});
    auto split = ipt2nft::test::read(text, {1 + size % 97, 3});
    if (whole.commands != split.commands || whole.diagnostics != split.diagnostics) __builtin_trap();
    return 0;
}
