// Each kernel expression's evaluation on the simulated packet: loads into registers, comparisons
// that end the rule (NFT_BREAK), statements that change the packet or decide its verdict.
#include "sim/interpreter.hpp"

#include <endian.h>
#include <fmt/format.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>

#include <algorithm>
#include <cstring>

#include "util/overloaded.hpp"

namespace ipt2nft::sim {

namespace {

struct Machine {
    const vm::Program& program;
    Environment& env;
    RegisterFile& regs;
    Outcome out;
    bool broken = false;

    Packet& p() { return env.packet; }
    // What the expression changed, in words for the trace: made only when one is recorded.
    template <typename Text>
    void effect(Text text) {
        if (env.record) out.effects.push_back(text());
    }
    void unsimulated(std::string why) {
        out.unsimulated.push_back(std::move(why));
        broken = true;
    }
};

std::string hex(const uint8_t* p, size_t n) {
    std::string s = "0x";
    for (size_t i = 0; i < n; ++i) s += fmt::format("{:02x}", p[i]);
    return s;
}

void store_ifname(uint8_t* dest, const std::string& name) {
    std::memset(dest, 0, 16);
    std::memcpy(dest, name.data(), std::min<size_t>(name.size(), 16));
}

// The link layer header of a received packet: destination, source, EtherType.
std::array<uint8_t, 14> link_header(const Packet& p) {
    std::array<uint8_t, 14> h{};
    if (p.source_mac) std::copy(p.source_mac->begin(), p.source_mac->end(), h.begin() + 6);
    h[12] = p.family() == Family::ipv4 ? 0x08 : 0x86;
    h[13] = p.family() == Family::ipv4 ? 0x00 : 0xdd;
    return h;
}

void eval(Machine& m, const vm::PayloadLoad& e) {
    const auto& bytes = m.p().bytes();
    const uint8_t* from = nullptr;
    size_t available = 0;
    std::array<uint8_t, 14> link{};
    switch (e.base) {
        case HeaderBase::link:
            // Only a received packet has a link layer header, and only an Ethernet device's is one.
            if (m.p().in_interface.empty() || m.p().in_interface == "lo") return void(m.broken = true);
            link = link_header(m.p());
            from = link.data(), available = link.size();
            break;
        case HeaderBase::network: from = bytes.data(), available = bytes.size(); break;
        case HeaderBase::transport:
            from = bytes.data() + m.p().transport_offset();
            available = bytes.size() - m.p().transport_offset();
            break;
        case HeaderBase::ipv6_extension: return void(m.broken = true);  // loaded by exthdr, never a payload
    }
    if (e.offset + e.length > available) return void(m.broken = true);
    std::memcpy(m.regs.load(e.dreg, e.length), from + e.offset, e.length);
}

void eval(Machine& m, const vm::PayloadWrite& e) {
    auto& bytes = m.p().bytes();
    size_t base = e.base == HeaderBase::transport ? m.p().transport_offset() : 0;
    if (e.base == HeaderBase::link || base + e.offset + e.length > bytes.size()) return void(m.broken = true);
    std::memcpy(bytes.data() + base + e.offset, m.regs.at(e.sreg), e.length);
    m.effect([&] {
        return fmt::format("header bytes {}..{} set to {}", e.offset, e.offset + e.length - 1,
                           hex(m.regs.at(e.sreg), e.length));
    });
}

// The route type of an address, as fib's addrtype result: local 2, broadcast 3, multicast 5,
// else unicast 1; with an interface, local only for that interface's addresses.
uint32_t address_type(const Host& host, const Address& a, const std::string* interface) {
    constexpr uint32_t unicast = 1, local = 2, broadcast = 3, multicast = 5;
    if (is_multicast(a)) return multicast;
    if (a.family == Family::ipv4 && (a.bytes[0] == 0 || is_limited_broadcast(a))) return broadcast;
    if (!host.is_local(a)) return unicast;
    if (!interface) return local;
    const Interface* i = host.find(*interface);
    bool on = i && std::any_of(i->addresses.begin(), i->addresses.end(),
                               [&](const InterfaceAddress& ia) { return ia.address == a; });
    bool loopback = *interface == "lo" && a.family == Family::ipv4 && a.bytes[0] == 127;
    return on || loopback ? local : unicast;
}

// nft_fib's output interface for the source (rpfilter) or destination: the input interface for
// a packet looped back here and for IPv4's 0.0.0.0 to a broadcast or link-local multicast address
// (DHCP), 0 for an address of the host's own or none routed, else the route's interface, or with
// `iif`/`oif` that interface if the route leaves by it. The host has no routing rules by mark, so
// NFTA_FIB_F_MARK changes nothing here.
uint32_t route_interface(const Host& host, const Packet& p, uint32_t flags) {
    const std::string& in = p.in_interface;
    Address a = flags & NFTA_FIB_F_SADDR ? p.source() : p.destination();
    Address other = flags & NFTA_FIB_F_SADDR ? p.destination() : p.source();
    if (in == "lo") return host.index_of(in);
    bool link_local_multicast = other.bytes[0] == 224 && other.bytes[1] == 0 && other.bytes[2] == 0;
    if (a == Address{Family::ipv4, {}} && (is_limited_broadcast(other) || link_local_multicast))
        return host.index_of(in);
    if (host.is_local(a)) return 0;
    auto leaves_by = host.route(a);
    if (!leaves_by) return 0;
    if (flags & (NFTA_FIB_F_IIF | NFTA_FIB_F_OIF)) {
        const std::string& asked = flags & NFTA_FIB_F_IIF ? in : p.out_interface;
        return *leaves_by == asked ? host.index_of(asked) : 0;
    }
    return host.index_of(*leaves_by);
}

void eval(Machine& m, const vm::FibLoad& e) {
    if (e.result == NFT_FIB_RESULT_OIF) return m.regs.put32(e.dreg, route_interface(m.env.host, m.p(), e.flags));
    if (e.result != NFT_FIB_RESULT_ADDRTYPE) return m.unsimulated("fib lookups of interface names are not simulated");
    Address a = e.flags & NFTA_FIB_F_SADDR ? m.p().source() : m.p().destination();
    const std::string* interface = nullptr;
    if (e.flags & NFTA_FIB_F_IIF) interface = &m.p().in_interface;
    if (e.flags & NFTA_FIB_F_OIF) interface = &m.p().out_interface;
    m.regs.put32(e.dreg, address_type(m.env.host, a, interface));
}

uint8_t packet_type(const Packet& p) {
    Address d = p.destination();
    return is_multicast(d) ? 2 : is_limited_broadcast(d) ? 1 : 0;  // PACKET_MULTICAST, PACKET_BROADCAST, PACKET_HOST
}

// nft's word for a key, or its number where the descriptor table has no word for it.
std::string key_name(std::string_view word, uint8_t key) {
    return word.empty() ? fmt::format("key {}", key) : std::string(word);
}

void eval(Machine& m, const vm::MetaLoad& e) {
    Packet& p = m.p();
    switch (e.key) {
        case NFT_META_LEN: return m.regs.put32(e.dreg, static_cast<uint32_t>(p.bytes().size()));
        case NFT_META_PROTOCOL: return m.regs.put16(e.dreg, htobe16(p.family() == Family::ipv4 ? 0x0800 : 0x86dd));
        case NFT_META_NFPROTO: return m.regs.put8(e.dreg, p.family() == Family::ipv4 ? NFPROTO_IPV4 : NFPROTO_IPV6);
        case NFT_META_L4PROTO: return m.regs.put8(e.dreg, p.protocol());
        case NFT_META_MARK: return m.regs.put32(e.dreg, p.mark);
        case NFT_META_PRIORITY: return m.regs.put32(e.dreg, p.priority);
        case NFT_META_IIFNAME: return store_ifname(m.regs.at(e.dreg), p.in_interface);
        case NFT_META_OIFNAME: return store_ifname(m.regs.at(e.dreg), p.out_interface);
        case NFT_META_IIFTYPE:
            if (p.in_interface.empty()) return void(m.broken = true);
            return m.regs.put16(e.dreg, p.in_interface == "lo" ? 772 : 1);  // ARPHRD_LOOPBACK, ARPHRD_ETHER
        case NFT_META_SKUID:
        case NFT_META_SKGID: {
            const auto& id = e.key == NFT_META_SKUID ? p.uid : p.gid;
            if (!id) return void(m.broken = true);  // no socket: a packet the host did not send
            return m.regs.put32(e.dreg, *id);
        }
        case NFT_META_NFTRACE: return m.regs.put8(e.dreg, p.trace);
        case NFT_META_PKTTYPE: return m.regs.put8(e.dreg, packet_type(p));
        // A described packet never came through IPsec.
        case NFT_META_SECPATH: return m.regs.put8(e.dreg, 0);
        case NFT_META_PRANDOM: return m.unsimulated("a random number (statistic --mode random) is not simulated");
        default: return m.unsimulated(fmt::format("meta {} is not simulated", key_name(meta_word(e.key), e.key)));
    }
}

void eval(Machine& m, const vm::MetaSet& e) {
    uint32_t v = 0;
    std::memcpy(&v, m.regs.at(e.sreg), 4);
    switch (e.key) {
        case NFT_META_MARK: m.p().mark = v; return m.effect([&] { return fmt::format("mark set to {:#x}", v); });
        case NFT_META_PRIORITY:
            m.p().priority = v;
            return m.effect([&] { return fmt::format("priority set to {:x}:{:x}", v >> 16, v & 0xffff); });
        case NFT_META_NFTRACE:
            m.p().trace = v & 1;
            return m.effect([&] { return fmt::format("nftrace set to {}", v & 1); });
        default: return m.unsimulated(fmt::format("setting meta key {} is not simulated", e.key));
    }
}

void eval(Machine& m, const vm::CtLoad& e) {
    PacketTrack& t = m.env.track;
    if (e.key == NFT_CT_STATE) return m.regs.put32(e.dreg, t.state_bit());
    if (t.kind != PacketTrack::Kind::tracked) return void(m.broken = true);
    const Connection& c = m.env.conntrack.connection(t.connection);
    const Tuple& tuple = c.tuple[e.direction.value_or(t.direction())];
    switch (e.key) {
        case NFT_CT_DIRECTION: return m.regs.put8(e.dreg, t.direction());
        case NFT_CT_STATUS: return m.regs.put32(e.dreg, c.status);
        case NFT_CT_MARK: return m.regs.put32(e.dreg, c.mark);
        case NFT_CT_ZONE: return m.regs.put16(e.dreg, c.zone);
        case NFT_CT_L3PROTOCOL: return m.regs.put8(e.dreg, tuple.family == Family::ipv4 ? NFPROTO_IPV4 : NFPROTO_IPV6);
        case NFT_CT_PROTOCOL: return m.regs.put8(e.dreg, tuple.protocol);
        case NFT_CT_PROTO_SRC: return m.regs.put16(e.dreg, htobe16(tuple.source_port));
        case NFT_CT_PROTO_DST: return m.regs.put16(e.dreg, htobe16(tuple.destination_port));
        case NFT_CT_SRC_IP:
        case NFT_CT_SRC_IP6:
            return void(
                std::memcpy(m.regs.load(e.dreg, tuple.source.size()), tuple.source.bytes.data(), tuple.source.size()));
        case NFT_CT_DST_IP:
        case NFT_CT_DST_IP6:
            return void(std::memcpy(m.regs.load(e.dreg, tuple.destination.size()), tuple.destination.bytes.data(),
                                    tuple.destination.size()));
        default: return m.unsimulated(fmt::format("ct {} is not simulated", key_name(ct_word(e.key), e.key)));
    }
}

void eval(Machine& m, const vm::CtSet& e) {
    PacketTrack& t = m.env.track;
    if (t.kind != PacketTrack::Kind::tracked) return;  // nothing to set on
    uint32_t v = 0;
    std::memcpy(&v, m.regs.at(e.sreg), 4);
    if (e.key != NFT_CT_MARK) return m.unsimulated(fmt::format("setting ct key {} is not simulated", e.key));
    m.env.conntrack.connection(t.connection).mark = v;
    m.effect([&] { return fmt::format("ct mark set to {:#x}", v); });
}

void eval(Machine& m, const vm::ExthdrLoad& e) {
    // Simulated TCP headers carry no options, simulated IPv6 packets no extension headers but
    // their last, the transport header (a packet of protocol 135 is a Mobility Header).
    const Packet& p = m.p();
    bool found = e.op == NFT_EXTHDR_OP_IPV6 && p.family() == Family::ipv6 && p.protocol() == e.type;
    if (e.present) return m.regs.put32(e.dreg, found);
    const auto& bytes = p.bytes();
    if (!found || p.transport_offset() + e.offset + e.length > bytes.size()) return void(m.broken = true);
    std::memcpy(m.regs.load(e.dreg, e.length), bytes.data() + p.transport_offset() + e.offset, e.length);
}

void eval(Machine& m, const vm::ExthdrWrite&) {
    m.effect([&] { return std::string("TCP option unchanged: the packet has none"); });
}

void eval(Machine& m, const vm::RtLoad& e) {
    if (e.key == NFT_RT_XFRM) {
        m.regs.put8(e.dreg, 0);  // the simulated host has no IPsec policies
        return;
    }
    if (e.key != NFT_RT_TCPMSS) return m.unsimulated(fmt::format("rt key {} is not simulated", e.key));
    m.regs.put16(e.dreg, m.p().family() == Family::ipv4 ? 1460 : 1440);  // an MTU of 1500
}

// Which fingerprints the host has loaded (nfnl_osf) is not in the ruleset.
void eval(Machine& m, const vm::OsfLoad&) {
    m.unsimulated("osf is not simulated: the OS fingerprints the host loaded are not known here");
}

void eval(Machine& m, const vm::NumgenLoad& e) {
    auto [it, fresh] = m.env.state.counters.try_emplace(&e, e.modulus - 1);
    it->second = it->second + 1 < e.modulus ? it->second + 1 : 0;
    m.regs.put32(e.dreg, it->second);
}

void eval(Machine& m, const vm::ByteOrder& e) {
    uint8_t* s = m.regs.at(e.sreg);
    uint8_t* d = m.regs.at(e.dreg);
    std::array<uint8_t, 64> tmp{};
    std::memcpy(tmp.data(), s, e.length);
    for (uint32_t i = 0; i < e.length; i += e.size)
        for (uint32_t k = 0; k < e.size; ++k) d[i + k] = tmp[i + e.size - 1 - k];
}

int compare(const uint8_t* a, const vm::Bytes& b) {
    return std::memcmp(a, b.data(), b.size());
}

void eval(Machine& m, const vm::Cmp& e) {
    int c = compare(m.regs.at(e.sreg), e.data);
    bool pass = false;
    switch (e.op) {
        case NFT_CMP_EQ: pass = c == 0; break;
        case NFT_CMP_NEQ: pass = c != 0; break;
        case NFT_CMP_LT: pass = c < 0; break;
        case NFT_CMP_LTE: pass = c <= 0; break;
        case NFT_CMP_GT: pass = c > 0; break;
        case NFT_CMP_GTE: pass = c >= 0; break;
    }
    if (!pass) m.broken = true;
}

void eval(Machine& m, const vm::Bitwise& e) {
    uint8_t* s = m.regs.at(e.sreg);
    uint8_t* d = m.regs.at(e.dreg);
    for (size_t i = 0; i < e.mask.size(); ++i) d[i] = static_cast<uint8_t>((s[i] & e.mask[i]) ^ e.xor_value[i]);
}

void eval(Machine& m, const vm::Shift& e) {
    // On 32-bit words in the host's order, carrying bits between them as the kernel does.
    size_t words = (e.length + 3) / 4;
    std::array<uint32_t, 16> w{};
    std::memcpy(w.data(), m.regs.at(e.sreg), words * 4);
    uint32_t carry = 0;
    if (e.left) {
        for (size_t i = words; i-- > 0;) {
            uint32_t v = w[i];
            w[i] = v << e.amount | carry;
            carry = e.amount ? v >> (32 - e.amount) : 0;
        }
    } else {
        for (size_t i = 0; i < words; ++i) {
            uint32_t v = w[i];
            w[i] = carry | v >> e.amount;
            carry = e.amount ? v << (32 - e.amount) : 0;
        }
    }
    std::memcpy(m.regs.at(e.dreg), w.data(), words * 4);
}

void eval(Machine& m, const vm::Range& e) {
    const uint8_t* v = m.regs.at(e.sreg);
    bool inside = compare(v, e.from) >= 0 && compare(v, e.to) <= 0;
    if (inside == e.negated) m.broken = true;
}

// Whether the set holds the key at `key`: an exact element, or for an interval set the range the
// greatest element at or below the key starts (an interval end closes one); for a concatenation
// of ranges, every field within its element's bounds.
bool set_holds(const vm::AnonymousSet& set, const uint8_t* key) {
    if (set.concatenated) {
        return std::any_of(set.elements.begin(), set.elements.end(), [&](const vm::AnonymousSet::Element& el) {
            size_t at = 0;
            for (uint8_t length : set.field_lengths) {
                const vm::Bytes& high = el.key_end ? *el.key_end : el.key;
                if (std::memcmp(key + at, el.key.data() + at, length) < 0 ||
                    std::memcmp(key + at, high.data() + at, length) > 0)
                    return false;
                at += (length + 3u) / 4u * 4u;
            }
            return true;
        });
    }
    if (!set.interval)
        return std::any_of(set.elements.begin(), set.elements.end(), [&](const vm::AnonymousSet::Element& el) {
            return std::memcmp(key, el.key.data(), set.key_length) == 0;
        });
    const vm::AnonymousSet::Element* below = nullptr;
    for (const auto& el : set.elements)
        if (std::memcmp(el.key.data(), key, set.key_length) <= 0 &&
            (!below || std::memcmp(el.key.data(), below->key.data(), set.key_length) >= 0))
            below = &el;
    return below && !below->interval_end;
}

void eval(Machine& m, const vm::Lookup& e) {
    bool found = set_holds(m.program.sets[e.set], m.regs.at(e.sreg));
    if (found == e.inverted) m.broken = true;
}

// A named set's element: the set's name, a NUL, then the key's bytes.
std::string element_of(std::string_view set, const uint8_t* key, size_t length) {
    std::string element(set);
    element += '\0';
    element.append(reinterpret_cast<const char*>(key), length);
    return element;
}

// The ipset of that name in the running table, if the set is one.
const vm::NamedSet* ipset_named(const Machine& m, std::string_view name) {
    if (!m.env.named_sets) return nullptr;
    for (const vm::NamedSet& s : *m.env.named_sets)
        if (s.name == name) return &s;
    return nullptr;
}

// A set's key: an ipset's, or an address of the packet's family (the recent lists of ip and ip6 tables).
size_t key_length(const Machine& m, const vm::NamedSet* ipset) {
    if (ipset) return ipset->content.key_length;
    return m.env.packet.family() == Family::ipv6 ? 16 : 4;
}

// An ipset's elements as the rules found them when the ruleset was loaded (time 0), each until
// its own timeout or the set's; put in the elements rules change on first use.
void load_elements(Machine& m, const vm::NamedSet& set) {
    if (set.content.interval || !m.env.state.loaded_sets.emplace(set.name).second) return;
    for (size_t i = 0; i < set.content.elements.size(); ++i) {
        std::optional<uint64_t> own = i < set.element_timeouts_ms.size() ? set.element_timeouts_ms[i] : std::nullopt;
        uint64_t ms = own.value_or(set.timeout_ms);
        int64_t expires = ms ? static_cast<int64_t>(ms) * 1'000'000 : INT64_MAX;
        const vm::Bytes& key = set.content.elements[i].key;
        m.env.state.set_elements.emplace(element_of(set.name, key.data(), key.size()), expires);
    }
}

void eval(Machine& m, const vm::NamedLookup& e) {
    const vm::NamedSet* ipset = ipset_named(m, e.set);
    bool in = false;
    if (ipset && ipset->content.interval && ipset->timeouts) {
        return m.unsimulated(fmt::format("the timeouts of set {}'s intervals are not simulated", e.set));
    } else if (ipset && ipset->content.interval) {
        in = set_holds(ipset->content, m.regs.at(e.sreg));  // rules never change an interval set
    } else {
        if (ipset) load_elements(m, *ipset);
        int64_t now = static_cast<int64_t>(m.p().time * 1e9);
        auto it = m.env.state.set_elements.find(element_of(e.set, m.regs.at(e.sreg), key_length(m, ipset)));
        in = it != m.env.state.set_elements.end() && it->second > now;
    }
    if (in == e.inverted) m.broken = true;
}

// nft_limit: a bucket of nanoseconds, a packet costing the rate's interval, full (cost × burst)
// when it is made and filled as time passes.
int64_t token_cost(const vm::Limit& e) {
    return static_cast<int64_t>(e.period * 1'000'000'000ull / e.rate);
}

int64_t full_bucket(const vm::Limit& e) {
    return token_cost(e) * e.burst;
}

// True if the packet found its cost in the bucket (and took it).
bool take_token(const vm::Limit& e, int64_t now, int64_t& tokens, int64_t& last) {
    int64_t cost = token_cost(e);
    int64_t have = std::min(full_bucket(e), tokens + now - last);
    last = now;
    bool found = have - cost >= 0;
    tokens = found ? have - cost : have;
    return found;
}

void eval(Machine& m, const vm::Dynset& e) {
    if (e.connection_limit) {
        m.unsimulated(fmt::format("the connections per address in set {} (connlimit) are not counted", e.set));
        return;
    }
    const vm::NamedSet* ipset = ipset_named(m, e.set);
    if (ipset) load_elements(m, *ipset);
    int64_t now = static_cast<int64_t>(m.p().time * 1e9);
    std::string element = element_of(e.set, m.regs.at(e.sreg), key_length(m, ipset));
    if (e.op == NFT_DYNSET_OP_DELETE) {
        bool deleted = m.env.state.set_elements.erase(element) > 0;
        m.effect([&] { return fmt::format("{} set {}", deleted ? "deleted from" : "not in", e.set); });
        return;
    }
    // nft_dynset: an element's timeout is the statement's, else the set's.
    uint64_t timeout_ms = e.timeout_ms ? e.timeout_ms : ipset ? ipset->timeout_ms : 0;
    int64_t expires = timeout_ms ? now + static_cast<int64_t>(timeout_ms) * 1'000'000 : INT64_MAX;
    // Named, not bound: clang 14 (the fuzzing build) does not capture structured bindings.
    auto inserted = m.env.state.set_elements.try_emplace(element, expires);
    bool added = inserted.second;
    int64_t& expiry = inserted.first->second;
    bool expired = !added && expiry <= now;
    if (!added && (e.op == NFT_DYNSET_OP_UPDATE || expired)) expiry = expires;
    m.effect([&] { return fmt::format("{} set {}", added ? "added to" : "refreshed in", e.set); });
    if (!e.limit) return;
    // A meter: the element's own bucket, full when the element is made (again, once expired).
    auto& bucket = m.env.state.element_buckets[element];
    if (added || expired) bucket = {full_bucket(*e.limit), now};
    if (take_token(*e.limit, now, bucket.first, bucket.second) == e.limit->over) m.broken = true;
}

void eval(Machine& m, const vm::ImmediateVerdict& e) {
    m.out.verdict = e.code;
    m.out.chain = e.chain;
}

void eval(Machine& m, const vm::ImmediateData& e) {
    std::memcpy(m.regs.load(e.dreg, e.data.size()), e.data.data(), e.data.size());
}

void eval(Machine&, const vm::Counter&) {}

void eval(Machine& m, const vm::Quota& e) {
    // nft_quota counts every packet it sees, and stops (or, with `over`, passes) from the one
    // that takes the count past the quota.
    uint64_t& consumed = m.env.state.quota_consumed[&e];
    consumed += m.p().bytes().size();
    if ((consumed > e.bytes) != e.over) m.broken = true;
}

void eval(Machine& m, const vm::Limit& e) {
    int64_t now = static_cast<int64_t>(m.p().time * 1e9);
    auto tokens = m.env.state.limit_tokens.try_emplace(&e, full_bucket(e)).first;
    auto last = m.env.state.limit_last.try_emplace(&e, 0).first;
    if (take_token(e, now, tokens->second, last->second) == e.over) m.broken = true;
}

void eval(Machine& m, const vm::Log& e) {
    m.effect([&] {
        std::string prefix = e.prefix ? fmt::format(" prefix \"{}\"", *e.prefix) : "";
        return e.group ? fmt::format("logged to nflog group {}{}", *e.group, prefix) : fmt::format("logged{}", prefix);
    });
}

std::optional<Address> register_address(Machine& m, vm::Register r) {
    if (!r) return std::nullopt;
    Address a{m.p().family(), {}};
    std::memcpy(a.bytes.data(), m.regs.at(r), a.size());
    return a;
}

std::optional<uint16_t> register_port(Machine& m, vm::Register r) {
    if (!r) return std::nullopt;
    uint16_t v;
    std::memcpy(&v, m.regs.at(r), 2);
    return be16toh(v);
}

void eval(Machine& m, const vm::Nat& e) {
    NatRequest n{NatRequest::Kind::nat,
                 e.destination,
                 register_address(m, e.address_min),
                 register_address(m, e.address_max),
                 register_port(m, e.port_min),
                 register_port(m, e.port_max)};
    if (!n.address_max) n.address_max = n.address_min;
    if (!n.port_max) n.port_max = n.port_min;
    if (e.flags & NF_NAT_RANGE_NETMAP) {
        // The packet's address keeps its host bits behind the range's network (nft_nat's netmap).
        Address mapped = e.destination ? m.p().destination() : m.p().source();
        Address network = shared_bits(*n.address_min, *n.address_max);
        for (size_t i = 0; i < mapped.size(); ++i)
            mapped.bytes[i] = static_cast<uint8_t>((mapped.bytes[i] & ~network.bytes[i]) |
                                                   (n.address_min->bytes[i] & network.bytes[i]));
        n.address_min = n.address_max = mapped;
    }
    m.out.nat = n;
    m.out.verdict = vm::VerdictCode::accept;
}

void eval(Machine& m, const vm::PortNat& e) {
    NatRequest n{e.redirect ? NatRequest::Kind::redirect : NatRequest::Kind::masquerade,
                 e.redirect,
                 {},
                 {},
                 register_port(m, e.port_min),
                 register_port(m, e.port_max)};
    if (!n.port_max) n.port_max = n.port_min;
    m.out.nat = n;
    m.out.verdict = vm::VerdictCode::accept;
}

void eval(Machine& m, const vm::Reject& e) {
    m.out.reject = e;
    m.out.verdict = vm::VerdictCode::drop;
}

void eval(Machine& m, const vm::Queue& e) {
    m.out.queue = e;
    // No program listens on a simulated queue: the kernel drops the packet, or with bypass
    // lets it go on.
    m.out.verdict = e.flags & NFT_QUEUE_FLAG_BYPASS ? vm::VerdictCode::accept : vm::VerdictCode::drop;
}

void eval(Machine& m, const vm::Synproxy&) {
    m.unsimulated("synproxy (the host answering SYNs with cookies) is not simulated");
}

void eval(Machine& m, const vm::Tproxy&) {
    m.unsimulated("tproxy needs a transparent socket, and the simulated host has none");
}

void eval(Machine& m, const vm::Dup& e) {
    // The copy is routed to the gateway and leaves; the simulation follows the packet itself.
    Address gateway{m.p().family()};
    std::memcpy(gateway.bytes.data(), m.regs.at(e.address), gateway.size());
    m.effect([&] { return fmt::format("a copy sent to {}", to_string(gateway)); });
}

void eval(Machine& m, const vm::Notrack&) {
    // A packet conntrack has already seen keeps its connection (notrack belongs in raw).
    if (m.env.track.kind == PacketTrack::Kind::tracked) return;
    m.env.track.kind = PacketTrack::Kind::untracked;
    m.effect([&] { return std::string("not tracked"); });
}

void eval(Machine& m, const vm::ObjectRef& e) {
    m.effect([&] { return fmt::format("ct helper {} attached (its expectations are not simulated)", e.name); });
}

}  // namespace

bool tests_only(const vm::Expression& expression) {
    return std::visit(overloaded{
                          [](const vm::PayloadLoad& e) { return e.base != HeaderBase::ipv6_extension; },
                          [](const vm::MetaLoad& e) {
                              switch (e.key) {
                                  case NFT_META_LEN:
                                  case NFT_META_PROTOCOL:
                                  case NFT_META_NFPROTO:
                                  case NFT_META_L4PROTO:
                                  case NFT_META_MARK:
                                  case NFT_META_IIFNAME:
                                  case NFT_META_OIFNAME:
                                  case NFT_META_IIFTYPE:
                                  case NFT_META_PKTTYPE: return true;
                                  default: return false;
                              }
                          },
                          [](const vm::FibLoad& e) { return e.result == NFT_FIB_RESULT_ADDRTYPE; },
                          [](const vm::CtLoad& e) { return e.key == NFT_CT_STATE || e.key == NFT_CT_DIRECTION; },
                          [](const vm::Cmp&) { return true; },
                          [](const vm::Bitwise&) { return true; },
                          [](const vm::Range&) { return true; },
                          [](const vm::Lookup&) { return true; },
                          [](const vm::ByteOrder&) { return true; },
                          [](const auto&) { return false; },
                      },
                      expression);
}

bool load_key(const vm::Expression& load, Environment& env, uint32_t length, std::string& key) {
    static const vm::Program none;
    Machine m{none, env, env.registers, {}};
    std::visit([&](const auto& e) { eval(m, e); }, load);
    if (m.broken) return false;
    vm::Register reg = std::visit(
        [](const auto& e) -> vm::Register {
            if constexpr (requires { e.dreg; }) return e.dreg;
            return 0;
        },
        load);
    key.assign(reinterpret_cast<const char*>(m.regs.at(reg)), length);
    return true;
}

Outcome run_program(const vm::Program& program, Environment& env) {
    Machine m{program, env, env.registers, {}};
    for (const auto& expression : program.expressions) {
        std::visit([&](const auto& e) { eval(m, e); }, expression);
        if (m.broken) return std::move(m.out);
        if (m.out.verdict) break;
    }
    m.out.matched = true;
    return std::move(m.out);
}

}  // namespace ipt2nft::sim
