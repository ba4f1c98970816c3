// Flattening ipset's networks: ranges cut into networks as ipset stores them, the most specific deciding.
#include "ir/ipset_intervals.hpp"

#include <algorithm>

namespace ipt2nft {

namespace {

// 128 bits hold an IPv6 address (a GCC and Clang extension).
__extension__ typedef unsigned __int128 Number;

Number to_number(const Address& a) {
    Number n = 0;
    for (size_t i = 0; i < a.size(); ++i) n = (n << 8) | a.bytes[i];
    return n;
}

Address to_address(Number n, Family family) {
    Address a{family, {}};
    for (size_t i = a.size(); i-- > 0; n >>= 8) a.bytes[i] = static_cast<uint8_t>(n);
    return a;
}

struct Block {
    Number low, high;
    bool nomatch;
};

// The last number of the block of 2^size numbers from `low` (2^128: the whole IPv6 space).
Number block_end(Number low, unsigned size) {
    return size >= 128 ? ~Number(0) : low + ((Number(1) << size) - 1);
}

// ipset stores a range of hash:net as the networks that cover it exactly, the largest first.
void add_range(Number low, Number high, unsigned bits, bool nomatch, std::vector<Block>& out) {
    while (true) {
        unsigned size = 0;  // log2 of the largest aligned block from `low` within the range
        while (size < bits && ((low >> size) & 1) == 0 && block_end(low, size + 1) <= high &&
               block_end(low, size + 1) >= low)
            ++size;
        Number end = block_end(low, size);
        out.push_back({low, end, nomatch});
        if (end >= high) return;
        low = end + 1;
    }
}

std::vector<Block> blocks_of(const Ipset& set) {
    unsigned bits = set.family == Family::ipv4 ? 32 : 128;
    std::vector<Block> blocks;
    for (const IpsetElement& e : set.elements) {
        if (auto* a = std::get_if<Address>(&e.key.v)) {
            blocks.push_back({to_number(*a), to_number(*a), e.nomatch});
        } else if (auto* p = std::get_if<Prefix>(&e.key.v)) {
            Number low = to_number(p->address), mask = to_number(p->mask);
            Number all = bits == 128 ? ~Number(0) : (Number(1) << bits) - 1;
            blocks.push_back({low, low | (~mask & all), e.nomatch});
        } else if (auto* r = std::get_if<Range>(&e.key.v)) {
            add_range(to_number(std::get<Address>(r->bounds[0].v)), to_number(std::get<Address>(r->bounds[1].v)), bits,
                      e.nomatch, blocks);
        }
    }
    return blocks;
}

// The matching intervals: networks nest or are apart, so a sweep with a stack of the networks
// holding the point finds the most specific one (its top) for each piece between boundaries.
std::vector<std::pair<Number, Number>> matching(std::vector<Block> blocks) {
    std::sort(blocks.begin(), blocks.end(),
              [](const Block& a, const Block& b) { return a.low != b.low ? a.low < b.low : a.high > b.high; });
    std::vector<Number> points;
    for (const Block& b : blocks) {
        points.push_back(b.low);
        if (b.high != ~Number(0)) points.push_back(b.high + 1);
    }
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    std::vector<std::pair<Number, Number>> out;
    std::vector<const Block*> holding;
    size_t next = 0;
    for (size_t i = 0; i < points.size(); ++i) {
        Number x = points[i];
        while (!holding.empty() && holding.back()->high < x) holding.pop_back();
        while (next < blocks.size() && blocks[next].low <= x) holding.push_back(&blocks[next++]);
        while (!holding.empty() && holding.back()->high < x) holding.pop_back();
        if (holding.empty() || holding.back()->nomatch) continue;
        Number end = i + 1 < points.size() ? points[i + 1] - 1 : holding.back()->high;
        if (!out.empty() && out.back().second + 1 == x)
            out.back().second = end;
        else
            out.push_back({x, end});
    }
    return out;
}

Value interval_value(Number low, Number high, Family family) {
    if (low == high) return to_address(low, family);
    unsigned bits = family == Family::ipv4 ? 32 : 128;
    for (unsigned host = 1; host <= bits; ++host) {
        Number mask = block_end(0, host);  // the host bits of a prefix of length bits - host
        if ((low & mask) == 0 && (low | mask) == high)
            return Prefix{to_address(low, family), mask_of_length(family, bits - host)};
    }
    return make_range(to_address(low, family), to_address(high, family));
}

}  // namespace

std::vector<IpsetElement> flatten_addresses(const Ipset& set) {
    std::vector<IpsetElement> out;
    for (auto [low, high] : matching(blocks_of(set))) {
        IpsetElement e;
        e.text = set.name;
        e.span = set.declared;
        e.key = interval_value(low, high, set.family);
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace ipt2nft
