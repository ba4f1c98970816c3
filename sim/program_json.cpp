// Each expression kind's fields, listed once, written to JSON and read back with range checks.
#include "sim/program_json.hpp"

#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include <array>
#include <concepts>
#include <limits>
#include <tuple>
#include <utility>

#include "util/overloaded.hpp"

namespace ipt2nft::sim {

namespace {

using nlohmann::json;
using written = nlohmann::ordered_json;

template <typename T>
struct Field {
    const char* name;
    T& member;
};
template <typename T>
Field<T> field(const char* name, T& member) {
    return {name, member};
}

// Every kind's fields, in the order written; reading and writing both go by these lists.
auto fields(vm::PayloadLoad& e) {
    return std::tuple{field("base", e.base), field("offset", e.offset), field("length", e.length),
                      field("dreg", e.dreg)};
}
auto fields(vm::PayloadWrite& e) {
    return std::tuple{field("sreg", e.sreg),
                      field("base", e.base),
                      field("offset", e.offset),
                      field("length", e.length),
                      field("checksum_type", e.checksum_type),
                      field("checksum_offset", e.checksum_offset),
                      field("checksum_flags", e.checksum_flags)};
}
auto fields(vm::MetaLoad& e) {
    return std::tuple{field("key", e.key), field("dreg", e.dreg)};
}
auto fields(vm::MetaSet& e) {
    return std::tuple{field("key", e.key), field("sreg", e.sreg)};
}
auto fields(vm::CtLoad& e) {
    return std::tuple{field("key", e.key), field("direction", e.direction), field("dreg", e.dreg)};
}
auto fields(vm::CtSet& e) {
    return std::tuple{field("key", e.key), field("direction", e.direction), field("sreg", e.sreg)};
}
auto fields(vm::FibLoad& e) {
    return std::tuple{field("flags", e.flags), field("result", e.result), field("dreg", e.dreg)};
}
auto fields(vm::ExthdrLoad& e) {
    return std::tuple{field("op", e.op),         field("type", e.type),       field("offset", e.offset),
                      field("length", e.length), field("present", e.present), field("dreg", e.dreg)};
}
auto fields(vm::ExthdrWrite& e) {
    return std::tuple{field("type", e.type), field("offset", e.offset), field("length", e.length),
                      field("sreg", e.sreg)};
}
auto fields(vm::RtLoad& e) {
    return std::tuple{field("key", e.key), field("dreg", e.dreg)};
}
auto fields(vm::NumgenLoad& e) {
    return std::tuple{field("modulus", e.modulus), field("dreg", e.dreg)};
}
auto fields(vm::OsfLoad& e) {
    return std::tuple{field("ttl", e.ttl), field("dreg", e.dreg)};
}
auto fields(vm::ByteOrder& e) {
    return std::tuple{field("sreg", e.sreg), field("dreg", e.dreg), field("to_network", e.to_network),
                      field("length", e.length), field("size", e.size)};
}
auto fields(vm::Cmp& e) {
    return std::tuple{field("op", e.op), field("sreg", e.sreg), field("data", e.data)};
}
auto fields(vm::Bitwise& e) {
    return std::tuple{field("sreg", e.sreg), field("dreg", e.dreg), field("mask", e.mask), field("xor", e.xor_value)};
}
auto fields(vm::Shift& e) {
    return std::tuple{field("sreg", e.sreg), field("dreg", e.dreg), field("left", e.left), field("amount", e.amount),
                      field("length", e.length)};
}
auto fields(vm::Range& e) {
    return std::tuple{field("negated", e.negated), field("sreg", e.sreg), field("from", e.from), field("to", e.to)};
}
auto fields(vm::Lookup& e) {
    return std::tuple{field("sreg", e.sreg), field("set", e.set), field("inverted", e.inverted)};
}
auto fields(vm::ImmediateVerdict& e) {
    return std::tuple{field("code", e.code), field("chain", e.chain)};
}
auto fields(vm::ImmediateData& e) {
    return std::tuple{field("dreg", e.dreg), field("data", e.data)};
}
auto fields(vm::Counter& e) {
    return std::tuple{field("packets", e.packets), field("bytes", e.bytes)};
}
auto fields(vm::Limit& e) {
    return std::tuple{field("rate", e.rate), field("period", e.period), field("burst", e.burst), field("over", e.over)};
}
auto fields(vm::Quota& e) {
    return std::tuple{field("bytes", e.bytes), field("over", e.over)};
}
auto fields(vm::Log& e) {
    return std::tuple{field("prefix", e.prefix),       field("group", e.group), field("snaplen", e.snaplen),
                      field("threshold", e.threshold), field("level", e.level), field("flags", e.flags)};
}
auto fields(vm::Nat& e) {
    return std::tuple{field("destination", e.destination),
                      field("family", e.family),
                      field("address_min", e.address_min),
                      field("address_max", e.address_max),
                      field("port_min", e.port_min),
                      field("port_max", e.port_max),
                      field("flags", e.flags)};
}
auto fields(vm::PortNat& e) {
    return std::tuple{field("redirect", e.redirect), field("port_min", e.port_min), field("port_max", e.port_max),
                      field("flags", e.flags)};
}
auto fields(vm::Reject& e) {
    return std::tuple{field("type", e.type), field("code", e.code)};
}
auto fields(vm::Synproxy& e) {
    return std::tuple{field("mss", e.mss), field("wscale", e.wscale), field("flags", e.flags)};
}
auto fields(vm::Tproxy& e) {
    return std::tuple{field("family", e.family), field("address", e.address), field("port", e.port)};
}
auto fields(vm::Dup& e) {
    return std::tuple{field("address", e.address)};
}
auto fields(vm::Queue& e) {
    return std::tuple{field("number", e.number), field("total", e.total), field("flags", e.flags)};
}
auto fields(vm::Notrack&) {
    return std::tuple{};
}
auto fields(vm::ObjectRef& e) {
    return std::tuple{field("type", e.type), field("name", e.name)};
}
auto fields(vm::NamedLookup& e) {
    return std::tuple{field("sreg", e.sreg), field("set", e.set), field("inverted", e.inverted)};
}
auto fields(vm::Dynset& e) {
    return std::tuple{field("op", e.op),
                      field("sreg", e.sreg),
                      field("set", e.set),
                      field("timeout_ms", e.timeout_ms),
                      field("connection_limit", e.connection_limit),
                      field("over", e.over),
                      field("limit", e.limit)};
}

// The kinds' names, in the variant's order (nft's expression names where it has one).
constexpr std::array<std::string_view, std::variant_size_v<vm::Expression>> kind_names = {
    "payload",  "payload_write", "meta",   "meta_set", "ct",           "ct_set",  "fib",
    "exthdr",   "exthdr_write",  "rt",     "numgen",   "byteorder",    "cmp",     "bitwise",
    "shift",    "range",         "lookup", "verdict",  "immediate",    "counter", "limit",
    "quota",    "log",           "nat",    "port_nat", "reject",       "queue",   "notrack",
    "synproxy", "dup",           "tproxy", "objref",   "named_lookup", "dynset",  "osf"};

constexpr std::array<std::pair<HeaderBase, std::string_view>, 4> base_names = {
    {{HeaderBase::link, "link"},
     {HeaderBase::network, "network"},
     {HeaderBase::transport, "transport"},
     {HeaderBase::ipv6_extension, "ipv6_extension"}}};
constexpr std::array<std::pair<vm::VerdictCode, std::string_view>, 6> verdict_names = {
    {{vm::VerdictCode::accept, "accept"},
     {vm::VerdictCode::drop, "drop"},
     {vm::VerdictCode::return_, "return"},
     {vm::VerdictCode::jump, "jump"},
     {vm::VerdictCode::go_to, "goto"},
     {vm::VerdictCode::continue_, "continue"}}};

template <typename Enum, size_t N>
std::string_view name_of(Enum v, const std::array<std::pair<Enum, std::string_view>, N>& names) {
    for (const auto& [value, name] : names)
        if (value == v) return name;
    return "?";
}

template <typename Enum, size_t N>
Enum value_named(const json& j, const char* field_name, const std::array<std::pair<Enum, std::string_view>, N>& names) {
    std::string words;
    for (const auto& [value, name] : names) {
        if (j.is_string() && j.get_ref<const std::string&>() == name) return value;
        words += (words.empty() ? "" : ", ") + std::string(name);
    }
    throw ProgramError(fmt::format("'{}' must be one of {}", field_name, words));
}

std::string hex(const vm::Bytes& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s;
    s.reserve(bytes.size() * 2);
    for (uint8_t b : bytes) s += {digits[b >> 4], digits[b & 0xf]};
    return s;
}

written encode(bool v) {
    return v;
}
template <std::unsigned_integral T>
written encode(T v) {
    return v;
}
written encode(const vm::Bytes& v) {
    return hex(v);
}
written encode(std::string_view v) {
    return v;
}
written encode(const std::string& v) {
    return v;
}
written encode(HeaderBase v) {
    return name_of(v, base_names);
}
written encode(vm::VerdictCode v) {
    return name_of(v, verdict_names);
}

written encode(const vm::Limit& v);

template <typename T>
written encoded(const T& member) {
    return encode(member);
}
template <typename T>
written encoded(const std::optional<T>& member) {
    return member ? encode(*member) : written(nullptr);
}

// A dynset's limit: an object of the limit's own fields.
written encode(const vm::Limit& v) {
    vm::Limit copy = v;
    written out = written::object();
    std::apply([&](auto... f) { ((out[f.name] = encoded(f.member)), ...); }, fields(copy));
    return out;
}

void decode(const json& j, const char* name, bool& out, TextStore&) {
    if (!j.is_boolean()) throw ProgramError(fmt::format("'{}' must be true or false", name));
    out = j.get<bool>();
}
template <std::unsigned_integral T>
void decode(const json& j, const char* name, T& out, TextStore&) {
    constexpr uint64_t most = std::numeric_limits<T>::max();
    if (!j.is_number_unsigned() || j.get<uint64_t>() > most)
        throw ProgramError(fmt::format("'{}' must be a whole number from 0 to {}", name, most));
    out = static_cast<T>(j.get<uint64_t>());
}
void decode(const json& j, const char* name, vm::Bytes& out, TextStore&) {
    std::string_view s = j.is_string() ? std::string_view(j.get_ref<const std::string&>()) : std::string_view{};
    auto digit = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    bool ok = j.is_string() && s.size() % 2 == 0;
    for (size_t i = 0; ok && i < s.size(); i += 2) {
        ok = digit(s[i]) >= 0 && digit(s[i + 1]) >= 0;
        if (ok) out.push_back(static_cast<uint8_t>(digit(s[i]) * 16 + digit(s[i + 1])));
    }
    if (!ok) throw ProgramError(fmt::format("'{}' must be bytes in lower-case hexadecimal, two digits each", name));
}
void decode(const json& j, const char* name, std::string& out, TextStore&) {
    if (!j.is_string()) throw ProgramError(fmt::format("'{}' must be a string", name));
    out = j.get<std::string>();
}
void decode(const json& j, const char* name, std::string_view& out, TextStore& names) {
    if (!j.is_string()) throw ProgramError(fmt::format("'{}' must be a string", name));
    out = names.keep(j.get_ref<const std::string&>());
}
void decode(const json& j, const char* name, HeaderBase& out, TextStore&) {
    out = value_named(j, name, base_names);
}
void decode(const json& j, const char* name, vm::VerdictCode& out, TextStore&) {
    out = value_named(j, name, verdict_names);
}

void decode(const json& j, const char* name, vm::Limit& out, TextStore& names);

template <typename T>
void take(const json& j, const char* name, T& member, TextStore& names) {
    decode(j, name, member, names);
}
template <typename T>
void take(const json& j, const char* name, std::optional<T>& member, TextStore& names) {
    if (j.is_null()) return member.reset();
    decode(j, name, member.emplace(), names);
}
// A set's member, by name.
template <typename T>
void take_member(const json& j, const char* name, T& member, TextStore& names) {
    auto it = j.find(name);
    if (it == j.end()) {
        if constexpr (requires { member.reset(); }) return member.reset();
        throw ProgramError(fmt::format("'{}' is missing", name));
    }
    take(*it, name, member, names);
}

void decode(const json& j, const char* name, vm::Limit& out, TextStore& names) {
    if (!j.is_object()) throw ProgramError(fmt::format("'{}' must be an object of a limit's fields", name));
    std::apply([&](auto... f) { (take_member(j, f.name, f.member, names), ...); }, fields(out));
}

// [kind, field, ...]: the fields in their list's order, an absent optional one null.
template <size_t I>
vm::Expression read_kind(const json& j, TextStore& names) {
    std::variant_alternative_t<I, vm::Expression> e{};
    auto list = fields(e);
    constexpr size_t count = std::tuple_size_v<decltype(list)>;
    if (j.size() != count + 1)
        throw ProgramError(fmt::format("{} takes {} fields, not {}", kind_names[I], count, j.size() - 1));
    size_t at = 1;
    std::apply([&](auto... f) { (take(j[at++], f.name, f.member, names), ...); }, list);
    return e;
}
template <size_t... I>
constexpr auto make_readers(std::index_sequence<I...>) {
    return std::array<vm::Expression (*)(const json&, TextStore&), sizeof...(I)>{&read_kind<I>...};
}
constexpr auto readers = make_readers(std::make_index_sequence<std::variant_size_v<vm::Expression>>{});

vm::Expression read_expression(const json& j, TextStore& names) {
    if (!j.is_array() || j.empty() || !j[0].is_string())
        throw ProgramError("an expression must be an array: its kind, then its fields");
    const auto& kind = j[0].get_ref<const std::string&>();
    for (size_t i = 0; i < kind_names.size(); ++i)
        if (kind_names[i] == kind) return readers[i](j, names);
    throw ProgramError(fmt::format("no expression is called '{}'", kind));
}

written set_json(const vm::AnonymousSet& set) {
    written elements = written::array();
    for (const auto& el : set.elements) {
        written e{{"key", hex(el.key)}};
        if (el.interval_end) e["interval_end"] = true;
        if (el.key_end) e["key_end"] = hex(*el.key_end);
        elements.push_back(std::move(e));
    }
    written j{{"key_length", set.key_length}, {"interval", set.interval}, {"elements", std::move(elements)}};
    if (set.concatenated) j["concatenated"] = true, j["field_lengths"] = set.field_lengths;
    return j;
}

vm::AnonymousSet read_set(const json& j, TextStore& names) {
    if (!j.is_object()) throw ProgramError("a set must be an object");
    vm::AnonymousSet set{};
    take_member(j, "key_length", set.key_length, names);
    take_member(j, "interval", set.interval, names);
    std::optional<bool> concatenated;
    take_member(j, "concatenated", concatenated, names);
    set.concatenated = concatenated.value_or(false);
    auto elements = j.find("elements");
    if (elements == j.end() || !elements->is_array()) throw ProgramError("a set's 'elements' must be an array");
    for (const auto& e : *elements) {
        auto& el = set.elements.emplace_back();
        if (!e.is_object()) throw ProgramError("a set element must be an object");
        take_member(e, "key", el.key, names);
        std::optional<bool> end;
        take_member(e, "interval_end", end, names);
        el.interval_end = end.value_or(false);
        take_member(e, "key_end", el.key_end, names);
    }
    if (set.concatenated) {
        auto lengths = j.find("field_lengths");
        if (lengths == j.end() || !lengths->is_array()) throw ProgramError("a concatenated set needs 'field_lengths'");
        for (const auto& l : *lengths) decode(l, "field_lengths", set.field_lengths.emplace_back(), names);
    }
    return set;
}

// The register file as the kernel lays it out: NFT_REG_1..4 of 16 bytes from byte 16, the
// 4-byte NFT_REG32_00..15 over them; the verdict register (0) holds no data.
constexpr uint32_t register_bytes = 80;
void check_register(vm::Register r, size_t length) {
    uint32_t start = r >= 1 && r <= 4 ? r * 16u : r >= 8 && r <= 23 ? 16u + (r - 8u) * 4u : 0;
    if (!start) throw ProgramError(fmt::format("register {} holds no data (1-4 and 8-23 do)", r));
    if (length == 0 || start + length > register_bytes)
        throw ProgramError(fmt::format("{} bytes from register {} do not fit in the registers", length, r));
}
void check_optional_register(vm::Register r) {
    if (r) check_register(r, 4);
}

void check_set(const vm::AnonymousSet& set) {
    if (set.key_length == 0 || set.key_length > 64) throw ProgramError("a set's key must be 1 to 64 bytes");
    uint32_t fields_length = 0;
    for (uint8_t l : set.field_lengths) fields_length += (l + 3u) / 4u * 4u;
    if (set.concatenated && (set.field_lengths.empty() || fields_length > set.key_length))
        throw ProgramError("a concatenated set's fields must fit in its key");
    for (const auto& el : set.elements)
        if (el.key.size() != set.key_length || (el.key_end && el.key_end->size() != set.key_length))
            throw ProgramError(fmt::format("a set element's key must be {} bytes, its key length", set.key_length));
}

// Each expression's registers and lengths, as the kernel checks them when a rule is added; the
// loads of metadata, conntrack and fib write at most 16 bytes, which the simulator's register
// file has room for past its end.
void check_expression(const vm::Expression& expression, const vm::Program& program) {
    std::visit(overloaded{
                   [](const vm::PayloadLoad& e) { check_register(e.dreg, e.length); },
                   [](const vm::PayloadWrite& e) { check_register(e.sreg, e.length); },
                   [](const vm::MetaLoad& e) { check_register(e.dreg, 4); },
                   [](const vm::MetaSet& e) { check_register(e.sreg, 4); },
                   [](const vm::CtLoad& e) { check_register(e.dreg, 4); },
                   [](const vm::CtSet& e) { check_register(e.sreg, 4); },
                   [](const vm::FibLoad& e) { check_register(e.dreg, 4); },
                   [](const vm::ExthdrLoad& e) { check_register(e.dreg, e.present ? 4 : e.length); },
                   [](const vm::ExthdrWrite& e) { check_register(e.sreg, e.length); },
                   [](const vm::RtLoad& e) { check_register(e.dreg, 4); },
                   [](const vm::NumgenLoad& e) {
                       check_register(e.dreg, 4);
                       if (!e.modulus) throw ProgramError("numgen's modulus must not be 0");
                   },
                   [](const vm::OsfLoad& e) {
                       check_register(e.dreg, 16);
                       if (e.ttl > 2) throw ProgramError("osf's ttl must be 0, 1 or 2");
                   },
                   [](const vm::ByteOrder& e) {
                       check_register(e.sreg, e.length), check_register(e.dreg, e.length);
                       if ((e.size != 2 && e.size != 4 && e.size != 8) || e.length % e.size)
                           throw ProgramError("byteorder's size must be 2, 4 or 8 and divide its length");
                   },
                   [](const vm::Cmp& e) {
                       check_register(e.sreg, e.data.size());
                       if (e.op > NFT_CMP_GTE) throw ProgramError(fmt::format("cmp has no operator {}", e.op));
                   },
                   [](const vm::Bitwise& e) {
                       check_register(e.sreg, e.mask.size()), check_register(e.dreg, e.mask.size());
                       if (e.xor_value.size() != e.mask.size())
                           throw ProgramError("bitwise's mask and xor must be as long as each other");
                   },
                   [](const vm::Shift& e) {
                       check_register(e.sreg, e.length), check_register(e.dreg, e.length);
                       if (e.amount >= 32) throw ProgramError("a shift must be by fewer than 32 bits");
                   },
                   [](const vm::Range& e) {
                       check_register(e.sreg, e.from.size());
                       if (e.to.size() != e.from.size())
                           throw ProgramError("a range's ends must be as long as each other");
                   },
                   [&](const vm::Lookup& e) {
                       if (e.set >= program.sets.size())
                           throw ProgramError(fmt::format("lookup of set {}, which the rule does not have", e.set));
                       check_register(e.sreg, program.sets[e.set].key_length);
                   },
                   [](const vm::NamedLookup& e) {
                       check_register(e.sreg, 4);
                       if (e.set.empty()) throw ProgramError("a lookup names its set");
                   },
                   [](const vm::Dynset& e) {
                       check_register(e.sreg, 4);
                       if (e.set.empty()) throw ProgramError("a set statement names its set");
                       if (e.limit && (!e.limit->rate || !e.limit->period))
                           throw ProgramError("a limit's rate and period must not be 0");
                       if (e.op != NFT_DYNSET_OP_ADD && e.op != NFT_DYNSET_OP_UPDATE && e.op != NFT_DYNSET_OP_DELETE)
                           throw ProgramError(
                               fmt::format("dynset's operation {} is not add (0), update (1) or delete (2)", e.op));
                   },
                   [](const vm::ImmediateVerdict& e) {
                       bool to_chain = e.code == vm::VerdictCode::jump || e.code == vm::VerdictCode::go_to;
                       if (to_chain == e.chain.empty())
                           throw ProgramError("a jump or goto, and only they, name a chain");
                   },
                   [](const vm::ImmediateData& e) { check_register(e.dreg, e.data.size()); },
                   [](const vm::Limit& e) {
                       if (!e.rate || !e.period) throw ProgramError("a limit's rate and period must not be 0");
                   },
                   [](const vm::Nat& e) {
                       for (vm::Register r : {e.address_min, e.address_max, e.port_min, e.port_max})
                           check_optional_register(r);
                   },
                   [](const vm::PortNat& e) {
                       for (vm::Register r : {e.port_min, e.port_max}) check_optional_register(r);
                   },
                   // An address is read as long as an IPv6 one could be.
                   [](const vm::Dup& e) { check_register(e.address, 16); },
                   [](const vm::Tproxy& e) {
                       if (e.address) check_register(e.address, 16);
                       check_optional_register(e.port);
                   },
                   [](const auto&) {},
               },
               expression);
}

}  // namespace

written program_json(const vm::Program& program) {
    written expressions = written::array();
    for (const auto& expression : program.expressions)
        expressions.push_back(std::visit(
            [&](auto e) {  // a copy: the field lists take their members by reference
                written j = written::array({kind_names[expression.index()]});
                std::apply([&](auto... f) { (j.push_back(encoded(f.member)), ...); }, fields(e));
                return j;
            },
            expression));
    written j{{"expressions", std::move(expressions)}};
    if (!program.sets.empty()) {
        written& sets = j["sets"] = written::array();
        for (const auto& set : program.sets) sets.push_back(set_json(set));
    }
    return j;
}

vm::Program read_program(const json& j, TextStore& names) {
    vm::Program program;
    auto expressions = j.is_object() ? j.find("expressions") : j.end();
    if (expressions == j.end() || !expressions->is_array())
        throw ProgramError("a program must be an object with an array of 'expressions'");
    if (auto sets = j.find("sets"); sets != j.end()) {
        if (!sets->is_array()) throw ProgramError("a program's 'sets' must be an array");
        for (const auto& s : *sets) check_set(program.sets.emplace_back(read_set(s, names)));
    }
    for (size_t i = 0; i < expressions->size(); ++i) {
        try {
            program.expressions.push_back(read_expression((*expressions)[i], names));
            check_expression(program.expressions.back(), program);
        } catch (const ProgramError& e) {
            throw ProgramError(fmt::format("expression {}: {}", i + 1, e.what()));
        }
    }
    return program;
}

written named_set_json(const vm::NamedSet& set) {
    written timeouts = written::array();
    for (const auto& t : set.element_timeouts_ms) timeouts.push_back(t ? written(*t) : written(nullptr));
    return written{{"name", set.name},
                   {"dynamic", set.dynamic},
                   {"timeouts", set.timeouts},
                   {"timeout_ms", set.timeout_ms},
                   {"content", set_json(set.content)},
                   {"element_timeouts_ms", timeouts}};
}

vm::NamedSet read_named_set(const json& j, TextStore& names) {
    if (!j.is_object()) throw ProgramError("a named set must be an object");
    vm::NamedSet set;
    take_member(j, "name", set.name, names);
    take_member(j, "dynamic", set.dynamic, names);
    take_member(j, "timeouts", set.timeouts, names);
    take_member(j, "timeout_ms", set.timeout_ms, names);
    auto content = j.find("content");
    if (content == j.end()) throw ProgramError("a named set needs its 'content'");
    check_set(set.content = read_set(*content, names));
    auto timeouts = j.find("element_timeouts_ms");
    if (timeouts == j.end() || !timeouts->is_array()) throw ProgramError("'element_timeouts_ms' must be an array");
    for (const auto& t : *timeouts) take(t, "element_timeouts_ms", set.element_timeouts_ms.emplace_back(), names);
    if (!set.element_timeouts_ms.empty() && set.element_timeouts_ms.size() != set.content.elements.size())
        throw ProgramError("a named set has a timeout for each element or none");
    return set;
}

void check_named_set_uses(const vm::Program& program, const std::vector<vm::NamedSet>& sets) {
    auto key_length = [&](std::string_view name) -> size_t {
        for (const auto& s : sets)
            if (s.name == name) return s.content.key_length;
        return 4;
    };
    for (const auto& expression : program.expressions) {
        if (auto* l = std::get_if<vm::NamedLookup>(&expression)) check_register(l->sreg, key_length(l->set));
        if (auto* d = std::get_if<vm::Dynset>(&expression)) check_register(d->sreg, key_length(d->set));
    }
}

}  // namespace ipt2nft::sim
