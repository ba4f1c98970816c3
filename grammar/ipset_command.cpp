// ipset's commands (`ipset create`, `add`, `flush`, `destroy`), in scripts and `ipset save` files.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "grammar/ipset.hpp"
#include "grammar/parse.hpp"
#include "grammar/values.hpp"

namespace ipt2nft::grammar {

namespace {

struct TypeName {
    std::string_view name;
    IpsetMethod method;
    std::vector<IpsetDim> dims;
};

// The types ipset 7 makes, and the names ipset 4 gave some of them.
const std::vector<TypeName>& type_names() {
    using enum IpsetDim;
    using enum IpsetMethod;
    static const std::vector<TypeName> names = {
        {"hash:ip", hash, {ip}},
        {"hash:net", hash, {net}},
        {"hash:mac", hash, {mac}},
        {"hash:ip,mac", hash, {ip, mac}},
        {"hash:ip,port", hash, {ip, port}},
        {"hash:net,port", hash, {net, port}},
        {"hash:ip,port,ip", hash, {ip, port, ip}},
        {"hash:ip,port,net", hash, {ip, port, net}},
        {"hash:net,port,net", hash, {net, port, net}},
        {"hash:net,net", hash, {net, net}},
        {"hash:ip,mark", hash, {ip, mark}},
        {"hash:net,iface", hash, {net, iface}},
        {"bitmap:ip", bitmap, {ip}},
        {"bitmap:ip,mac", bitmap, {ip, mac}},
        {"bitmap:port", bitmap, {port}},
        {"list:set", list, {}},
        {"iphash", hash, {ip}},
        {"nethash", hash, {net}},
        {"ipporthash", hash, {ip, port}},
        {"ipmap", bitmap, {ip}},
        {"macipmap", bitmap, {ip, mac}},
        {"portmap", bitmap, {port}},
        {"setlist", list, {}},
    };
    return names;
}

enum class Verb { create, add, del, flush, destroy, unchanged, restore, other };

Verb verb_of(std::string_view w) {
    if (w == "create" || w == "-N" || w == "n" || w == "-C") return Verb::create;
    if (w == "add" || w == "-A" || w == "a") return Verb::add;
    if (w == "del" || w == "-D" || w == "d") return Verb::del;
    if (w == "flush" || w == "-F" || w == "f") return Verb::flush;
    if (w == "destroy" || w == "-X" || w == "x") return Verb::destroy;
    if (w == "test" || w == "-T" || w == "list" || w == "-L" || w == "save" || w == "-S" || w == "version" ||
        w == "-V" || w == "-v" || w == "help" || w == "-h" || w == "-H")
        return Verb::unchanged;
    if (w == "restore" || w == "-R") return Verb::restore;
    return Verb::other;
}

bool is_exist_option(std::string_view w) {
    return w == "-exist" || w == "-!" || w == "--exist";
}

// Options ipset takes anywhere that change nothing of the sets (output, quiet).
bool is_quiet_option(std::string_view w) {
    return w == "-q" || w == "-quiet" || w == "--quiet" || w == "-n" || w == "-name" || w == "-s" || w == "-sorted" ||
           w == "-r" || w == "-resolve" || w == "-t" || w == "-terse";
}

std::optional<uint32_t> seconds(const Words& words, size_t at, ValueReader& values) {
    if (at >= words.size()) return std::nullopt;
    auto n = values.number(words[at], 0, 2147483, "timeout in seconds");
    return n ? std::optional<uint32_t>(static_cast<uint32_t>(*n)) : std::nullopt;
}

// `NAME TYPE [options]`: what the rules' translation needs of it; sizing options pass.
bool read_create(const Words& words, size_t at, IpsetChange& change, Diagnostics& diags) {
    if (at + 1 >= words.size()) {
        diags.error(words[at - 1].span, "ipset create needs a set name and a type", "bad-ipset");
        return false;
    }
    Ipset& set = change.created;
    set.name = change.set;
    set.declared = change.set_span;
    const Word& type = words[at + 1];
    auto known =
        std::find_if(type_names().begin(), type_names().end(), [&](const TypeName& t) { return t.name == type.text; });
    if (known == type_names().end()) {
        diags.error(type.span, fmt::format("unknown ipset type '{}'", type.text), "bad-ipset");
        return false;
    }
    set.method = known->method;
    set.dims = known->dims;
    set.type_text = type.text;
    ValueReader values(diags);
    for (size_t i = at + 2; i < words.size(); ++i) {
        std::string_view w = words[i].text;
        bool has_value = i + 1 < words.size();
        if (w == "family" && has_value) {
            std::string_view f = words[++i].text;
            if (f != "inet" && f != "inet6" && f != "ipv4" && f != "ipv6") {
                diags.error(words[i].span, fmt::format("unknown ipset family '{}': inet or inet6", f), "bad-ipset");
                return false;
            }
            set.family = f == "inet6" || f == "ipv6" ? Family::ipv6 : Family::ipv4;
        } else if (w == "timeout" && has_value) {
            set.timeout = seconds(words, ++i, values);
        } else if (w == "maxelem" && has_value) {
            auto n = values.number(words[++i], 1, UINT32_MAX, "maxelem");
            if (n) set.maxelem = static_cast<uint32_t>(*n);
        } else if (w == "counters") {
            set.counters = true;
        } else if (w == "comment") {
            set.comments = true;
        } else if (w == "netmask" || w == "markmask" || w == "forceadd" || w == "bitmask") {
            set.refusal = fmt::format(
                "ipset's {} has no nft set to match it (nft's sets neither mask their keys nor evict an element "
                "to make room)",
                w);
            set.refusal_span = words[i].span;
            if (w != "forceadd") ++i;
        } else if (is_exist_option(w)) {
            change.exist = true;
        } else if (has_value && (w == "hashsize" || w == "range" || w == "size" || w == "bucketsize" ||
                                 w == "initval" || w == "probes" || w == "resize")) {
            ++i;  // the kernel's sizing of the set, or a bitmap's range: nothing a key's match depends on
        } else if (w != "skbinfo" && !is_quiet_option(w)) {
            diags.error(words[i].span, fmt::format("unknown ipset create option '{}'", w), "bad-ipset");
            return false;
        }
    }
    return true;
}

// `NAME ELEMENT [options]`: the element as written, read by the set's type where a rule uses it.
bool read_add(const Words& words, size_t at, IpsetChange& change, Diagnostics& diags) {
    if (at + 1 >= words.size()) {
        diags.error(words[at - 1].span, "ipset add needs a set name and an element", "bad-ipset");
        return false;
    }
    IpsetElement& e = change.element;
    e.text = words[at + 1].text;
    e.span = words[at + 1].span;
    ValueReader values(diags);
    for (size_t i = at + 2; i < words.size(); ++i) {
        std::string_view w = words[i].text;
        bool has_value = i + 1 < words.size();
        if (w == "timeout" && has_value) {
            e.timeout = seconds(words, ++i, values);
        } else if (w == "comment" && has_value) {
            e.comment = words[++i].text;
        } else if (w == "nomatch") {
            e.nomatch = true;
        } else if ((w == "packets" || w == "bytes") && has_value) {
            auto n = values.decimal_count(words[++i], w);
            if (!n) return false;
            if (!e.counts) e.counts = Counters{};
            (w == "packets" ? e.counts->packets : e.counts->bytes) = *n;
        } else if (is_exist_option(w)) {
            change.exist = true;
        } else if (has_value && (w == "skbmark" || w == "skbprio" || w == "skbqueue" || w == "before" ||
                                 w == "after")) {
            ++i;  // what --map-set would give the packet, a list:set's order: no part of the key
        } else if (!is_quiet_option(w)) {
            diags.error(words[i].span, fmt::format("unknown ipset add option '{}'", w), "bad-ipset");
            return false;
        }
    }
    return true;
}

}  // namespace

std::optional<Command> parse_ipset_command(const Words& words, size_t first, Diagnostics& diags) {
    auto change = std::make_shared<IpsetChange>();
    size_t at = first;
    while (at < words.size() && (is_exist_option(words[at].text) || is_quiet_option(words[at].text))) {
        change->exist = change->exist || is_exist_option(words[at].text);
        ++at;
    }
    Span whole{words.front().span.file, words.front().span.begin, words.back().span.end};
    if (at == words.size()) {
        diags.error(whole, "ipset without a command", "bad-ipset");
        return std::nullopt;
    }
    const Word& verb_word = words[at];
    Verb verb = verb_of(verb_word.text);
    if (verb == Verb::unchanged) return std::nullopt;
    if (verb == Verb::restore || verb == Verb::other) {
        diags.error(
            verb_word.span,
            verb == Verb::restore
                ? std::string("ipset restore reads its sets from input not read here: give that file (an "
                              "`ipset save` file) as an input before the rules")
                : fmt::format("ipset {} is not replayed: the sets it leaves are not known here", verb_word.text),
            "ipset-command");
        return std::nullopt;
    }
    bool named = at + 1 < words.size() && !is_exist_option(words[at + 1].text);
    if (named) {
        change->set = words[at + 1].text;
        change->set_span = words[at + 1].span;
    }
    using Kind = IpsetChange::Kind;
    bool ok = true;
    switch (verb) {
        case Verb::create:
            change->kind = Kind::create;
            ok = named && read_create(words, at + 1, *change, diags);
            break;
        case Verb::add:
        case Verb::del:
            change->kind = verb == Verb::add ? Kind::add : Kind::remove;
            ok = named && read_add(words, at + 1, *change, diags);
            break;
        case Verb::flush: change->kind = Kind::flush; break;
        default: change->kind = Kind::destroy; break;
    }
    if (!ok) {
        if (!named) diags.error(verb_word.span, fmt::format("ipset {} needs a set name", verb_word.text), "bad-ipset");
        return std::nullopt;
    }
    Command c;
    c.kind = CommandKind::ipset;
    c.span = whole;
    c.ipset = std::move(change);
    return c;
}

void read_ipset_save(SourceManager& sources, uint32_t file, Diagnostics& diags, const CommandSink& sink) {
    std::string_view text = sources.text(file);
    Variables none;
    Words words;
    for (size_t offset = 0; offset < text.size();) {
        size_t end = std::min(text.find('\n', offset), text.size());
        std::string_view line = text.substr(offset, end - offset);
        auto line_offset = static_cast<uint32_t>(offset);
        offset = end + 1;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos || line.front() == '#') continue;
        if (reject_binary(line, file, line_offset, diags)) continue;
        words.clear();
        if (!parse_shell_line(line, file, line_offset, none, sources.derived(), words, diags) || words.empty())
            continue;
        if (auto c = parse_ipset_command(words, 0, diags)) sink(std::move(*c));
    }
}

}  // namespace ipt2nft::grammar
