// BuDDy set up once per lint run; declared fields get their variables in one fixed order.
#include "analysis/packet_space.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace ipt2nft::analysis {

namespace {

bool running = false;

// BuDDy's errors are out of memory or misuse: nothing a caller can mend. Said, then exit 3 as
// for every internal error.
void on_error(int code) {
    std::fprintf(stderr, "ipt2nft: internal error: BuDDy: %s\n", bdd_errstring(code));
    std::_Exit(3);
}

}  // namespace

PacketSpace::PacketSpace() {
    if (running) throw std::logic_error("one PacketSpace at a time");
    running = true;
    // Nodes grow on demand; these sizes hold a few hundred rules without a resize.
    bdd_init(1 << 20, 1 << 16);
    bdd_setmaxincrease(1 << 22);
    bdd_gbc_hook(nullptr);  // no garbage collection reports on stdout
    bdd_error_hook(on_error);
}

PacketSpace::~PacketSpace() {
    unknown_set_ = bddtrue;
    variable_sets_.clear();
    bdd_done();
    running = false;
}

int PacketSpace::add_variables(int count) {
    int first = bdd_varnum();
    bdd_extvarnum(count);
    return first;
}

int PacketSpace::variable(FieldSpace space, uint32_t byte) {
    auto [it, added] = byte_variables_.try_emplace({space, byte}, 0);
    if (added) it->second = add_variables(8);
    return it->second;
}

void PacketSpace::declare(FieldSpace space, uint32_t offset, uint32_t length) {
    for (uint32_t b = 0; b < length; ++b) declared_.emplace(space, offset + b);
}

void PacketSpace::make_declared() {
    for (const auto& [space, byte] : declared_) variable(space, byte);
    declared_.clear();
}

Bits PacketSpace::field(FieldSpace space, uint32_t offset, uint32_t length) {
    Bits bits;
    bits.reserve(length * 8);
    for (uint32_t b = 0; b < length; ++b) {
        int first = variable(space, offset + b);
        for (int i = 0; i < 8; ++i) bits.push_back(bdd_ithvarpp(first + i));
    }
    return bits;
}

bdd PacketSpace::present(Presence fact, uint8_t which) {
    return field({FieldSpace::Kind::presence, static_cast<uint8_t>(fact), which}, 0, 1)[0];
}

bdd PacketSpace::field_variables(FieldSpace space, uint32_t offset, uint32_t length) {
    auto [it, added] = variable_sets_.try_emplace({space, offset, length}, bddtrue);
    if (!added) return it->second;
    std::vector<int> variables;
    for (uint32_t b = 0; b < length; ++b)
        for (int first = variable(space, offset + b), i = 0; i < 8; ++i) variables.push_back(first + i);
    return it->second = bdd_makeset(variables.data(), static_cast<int>(variables.size()));
}

Bits PacketSpace::unknown(uint32_t length) {
    Bits bits;
    for (uint32_t i = 0; i < length * 8; ++i, ++unknowns_used_) {
        if (unknowns_used_ == unknowns_.size()) {
            unknowns_.push_back(add_variables(1));
            unknown_set_ &= bdd_ithvarpp(unknowns_.back());
        }
        bits.push_back(bdd_ithvarpp(unknowns_[unknowns_used_]));
    }
    return bits;
}

}  // namespace ipt2nft::analysis
