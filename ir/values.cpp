// Address arithmetic and formatting shared by the grammar, the passes and the backends.
#include "ir/values.hpp"

#include <arpa/inet.h>

namespace ipt2nft {

Address mask_of_length(Family family, unsigned length) {
    Address m;
    m.family = family;
    for (size_t i = 0; i < m.size(); ++i) {
        unsigned bits = length > 8 * i ? length - 8 * i : 0;
        m.bytes[i] = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    }
    return m;
}

Address apply_mask(const Address& a, const Address& mask) {
    Address r = a;
    for (size_t i = 0; i < r.size(); ++i) r.bytes[i] &= mask.bytes[i];
    return r;
}

std::optional<unsigned> prefix_length(const Address& mask) {
    unsigned length = 0;
    size_t i = 0;
    while (i < mask.size() && mask.bytes[i] == 0xff) {
        length += 8;
        ++i;
    }
    if (i == mask.size()) return length;
    // One partial byte of leading ones, then only zeros.
    uint8_t partial = mask.bytes[i];
    uint8_t inverted = static_cast<uint8_t>(~partial);
    if ((inverted & (inverted + 1)) != 0) return std::nullopt;
    while (partial & 0x80) {
        ++length;
        partial = static_cast<uint8_t>(partial << 1);
    }
    for (++i; i < mask.size(); ++i)
        if (mask.bytes[i] != 0) return std::nullopt;
    return length;
}

bool is_multicast(const Address& a) {
    return a.family == Family::ipv4 ? a.bytes[0] >= 224 && a.bytes[0] <= 239 : a.bytes[0] == 0xff;
}

bool is_limited_broadcast(const Address& a) {
    return a.family == Family::ipv4 && a.bytes[0] == 255 && a.bytes[1] == 255 && a.bytes[2] == 255 && a.bytes[3] == 255;
}

Address shared_bits(const Address& a, const Address& b) {
    Address mask{a.family, {}};
    for (size_t i = 0; i < a.size(); ++i) mask.bytes[i] = static_cast<uint8_t>(~(a.bytes[i] ^ b.bytes[i]));
    return mask;
}

std::string to_string(const Address& a) {
    if (a.family == Family::ipv4) {
        // Dotted quad by hand: rulesets print hundreds of thousands of these, and inet_ntop
        // goes through printf. At most 15 characters: the string needs no allocation.
        std::string out;
        for (size_t i = 0; i < 4; ++i) {
            if (i) out += '.';
            unsigned b = a.bytes[i];
            if (b >= 100) out += static_cast<char>('0' + b / 100);
            if (b >= 10) out += static_cast<char>('0' + b / 10 % 10);
            out += static_cast<char>('0' + b % 10);
        }
        return out;
    }
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(a.family == Family::ipv4 ? AF_INET : AF_INET6, a.bytes.data(), buf, sizeof buf);
    return buf;
}

Value number_or_range(uint64_t low, uint64_t high) {
    return low == high ? Value(low) : make_range(low, high);
}

Value make_range(Value low, Value high) {
    Range r;
    r.bounds.push_back(std::move(low));
    r.bounds.push_back(std::move(high));
    return Value(std::move(r));
}

}  // namespace ipt2nft
