// BatchWriter: sequence numbers and origins per message, the batch's begin and end.
#include "backends/netlink/batch_writer.hpp"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <unistd.h>

namespace ipt2nft::netlink {

Batch empty_batch() {
    constexpr uint32_t page_size = 2 * 1024 * 1024;
    Batch batch;
    batch.messages.reset(nftnl_batch_alloc(page_size, UINT16_MAX + static_cast<uint32_t>(getpagesize())));
    if (!batch.messages) throw std::bad_alloc();
    batch.first_sequence = 1;
    return batch;
}

nlmsghdr* BatchWriter::message(uint16_t type, uint16_t family, uint16_t flags, MessageOrigin origin) {
    uint32_t sequence = batch_.first_sequence + static_cast<uint32_t>(batch_.origins.size());
    batch_.origins.push_back(std::move(origin));
    return nftnl_nlmsg_build_hdr(buffer(), type, family, flags, sequence);
}

void BatchWriter::begin(std::optional<uint32_t> generation) {
    batch_.origins.push_back({Span{}, "batch"});
    nlmsghdr* h = nftnl_batch_begin(buffer(), batch_.first_sequence);
    if (generation) mnl_attr_put_u32(h, NFNL_BATCH_GENID, htonl(*generation));
    next();
}

void BatchWriter::end() {
    uint32_t sequence = batch_.first_sequence + static_cast<uint32_t>(batch_.origins.size());
    batch_.origins.push_back({Span{}, "commit"});
    nftnl_batch_end(buffer(), sequence);
    next();
}

void BatchWriter::next() {
    if (nftnl_batch_update(batch_.messages.get()) < 0) throw std::bad_alloc();
}

void BatchWriter::elements(nftnl_set* set, uint16_t family, const MessageOrigin& origin) {
    ElementsIterPtr elements(nftnl_set_elems_iter_create(set));
    for (bool more = true; more;) {
        nlmsghdr* m = message(NFT_MSG_NEWSETELEM, family, NLM_F_CREATE, origin);
        more = nftnl_set_elems_nlmsg_build_payload_iter(m, elements.get()) > 0;
        next();
    }
}

}  // namespace ipt2nft::netlink
