// Resolving ipset uses: the set each names, the key its flags select, the tables that declare it.
#include "ir/passes/resolve_ipsets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "ir/dynamic_sets.hpp"

namespace ipt2nft {

namespace {

bool has_address(const Ipset& set) {
    return std::any_of(set.dims.begin(), set.dims.end(),
                       [](IpsetDim d) { return d == IpsetDim::ip || d == IpsetDim::net; });
}

bool has_port(const Ipset& set) {
    return std::find(set.dims.begin(), set.dims.end(), IpsetDim::port) != set.dims.end();
}

// Whether the rule tests (-p) for a protocol whose ports ipset and nft's `th` read alike: TCP,
// UDP, SCTP, UDP-Lite. For another, ipset keeps ICMP's type and code or a port of 0, nft's `th
// dport` the header's bytes 2 and 3.
bool tests_port_protocol(const Rule& rule) {
    return std::any_of(rule.conditions.begin(), rule.conditions.end(), [](const Condition& c) {
        auto* cmp = std::get_if<Compare>(&c.test);
        auto* n = cmp && cmp->op == Op::eq ? std::get_if<uint64_t>(&cmp->value.v) : nullptr;
        bool protocol = cmp && (cmp->selector == Selector{PayloadSelector{PayloadField::ip_protocol}} ||
                                cmp->selector == Selector{MetaSelector{MetaKey::l4proto}});
        return n && protocol && (*n == 6 || *n == 17 || *n == 132 || *n == 136);
    });
}

struct Resolver {
    Ruleset& ruleset;
    Diagnostics& diags;
    std::unordered_map<std::string_view, const Ipset*> by_name;
    // The table whose rules update each set updated by one, for the check that no other uses it.
    std::unordered_map<std::string_view, const Table*> updated_in;
    std::unordered_set<std::string_view> updated;  // by a rule of any table

    void refuse(Span at, std::string why) { diags.error(at, std::move(why), "untranslatable-ipset"); }

    // The set a rule of `table` names with these flags, if xt_set would use it and nft can hold it.
    const Ipset* usable(std::string_view name, IpsetFlags flags, const Table& table, Span at) {
        auto found = by_name.find(name);
        if (found == by_name.end()) {
            diags.error(at,
                        fmt::format("no set {}: xt_set refuses the rule; create it first (`ipset create` in the "
                                    "script, or an `ipset save` file given as an input before the rules), or, where "
                                    "the kernel's nft table holds it, add with --noflush --external-set '{} TYPE'",
                                    name, name),
                        "unknown-ipset");
            return nullptr;
        }
        const Ipset& set = *found->second;
        if (set.method == IpsetMethod::list) {
            refuse(at, fmt::format("set {} is a list:set, whose match is any of its members': nft has no set of "
                                   "sets, and ipt2nft makes one of their elements only where the members are of one "
                                   "type; write a rule per member set",
                                   name));
            return nullptr;
        }
        if (!set.refusal.empty()) {
            refuse(at, fmt::format("set {}: {}", name, set.refusal));
            diags.note(set.refusal_span, "set here", "untranslatable-ipset");
            return nullptr;
        }
        if (flags.count < set.dims.size()) {
            diags.error(at,
                        fmt::format("set {} ({}) has {} dimensions and the rule gives {} flag{}: xt_set never "
                                    "matches nor changes it so; give one src or dst for each",
                                    name, set.type_text, set.dims.size(), flags.count, flags.count == 1 ? "" : "s"),
                        "ipset-flags");
            return nullptr;
        }
        if (has_address(set) && set.family != table.family) {
            diags.error(at,
                        fmt::format("set {} holds {} addresses and this is an {} rule: xt_set never matches nor "
                                    "changes a set of the other family",
                                    name, set.family == Family::ipv4 ? "IPv4" : "IPv6",
                                    table.family == Family::ipv4 ? "iptables" : "ip6tables"),
                        "ipset-family");
            return nullptr;
        }
        return &set;
    }

    void declare(Table& table, const Ipset& set, bool update) {
        if (set.external) return;  // the kernel's table holds it
        auto shared =
            std::find_if(ruleset.ipsets.begin(), ruleset.ipsets.end(), [&](const auto& s) { return s.get() == &set; });
        auto declared = std::find_if(table.ipsets.begin(), table.ipsets.end(),
                                     [&](const DeclaredIpset& d) { return d.set.get() == &set; });
        if (declared == table.ipsets.end()) declared = table.ipsets.insert(table.ipsets.end(), {*shared, false});
        declared->updated = declared->updated || update;
    }

    void lookup(Table& table, IpsetLookup& l, Span at) {
        const Ipset* set = usable(l.set, l.flags, table, at);
        if (!set) return;
        if (l.inverted && has_port(*set)) {
            // xt_set finds no port in a fragment after the first, and so matches it with `!`; nft's
            // `th dport` loads none there, and stops the rule.
            refuse(at, fmt::format("! --match-set of a set with ports ({}) matches fragments after the first, where "
                                   "nft's lookup of their ports stops the rule",
                                   set->type_text));
            return;
        }
        auto changing = std::find_if(set->members.begin(), set->members.end(),
                                     [&](std::string_view m) { return updated.count(m) > 0; });
        if (changing != set->members.end()) {
            refuse(at, fmt::format("list:set {} is made one nft set of its members' elements, and its member {} is "
                                   "changed by rules (SET), which that set would not see",
                                   l.set, *changing));
            return;
        }
        if (l.inverted && set->counters)
            diags.warning(at,
                          fmt::format("set {} counts per element: xt_set counts the element a `!` lookup finds, "
                                      "nft's inverted lookup stops there and counts nothing",
                                      l.set),
                          "ipset-counts-differ");
        l.key = *ipset_key(*set, l.flags);
        declare(table, *set, false);
    }

    void update(Table& table, const Rule& rule, IpsetUpdate& u, Span at) {
        const Ipset* set = usable(u.set, u.flags, table, at);
        if (!set) return;
        if (has_port(*set) && !tests_port_protocol(rule)) {
            refuse(at, fmt::format("SET adds the ports of whatever protocol the packet has to set {} ({}), where "
                                   "ipset keeps ICMP's type and code, and nft's `th dport` other bytes: give the rule "
                                   "-p tcp, udp, sctp or udplite",
                                   u.set, set->type_text));
            return;
        }
        if (!set->members.empty()) {
            refuse(at, fmt::format("SET adds to list:set {}'s first member with room, and deletes from whichever "
                                   "holds the key, which nft cannot choose: name the member",
                                   u.set));
            return;
        }
        if (set->interval || std::find(set->dims.begin(), set->dims.end(), IpsetDim::net) != set->dims.end()) {
            refuse(at, fmt::format("set {} holds networks or ranges ({}), which nft cannot add to or delete from "
                                   "in a rule (its interval sets change from outside alone)",
                                   u.set, set->type_text));
            return;
        }
        if (!set->timeout) u.timeout.reset();  // xt_SET passes a timeout over for a set without
        u.key = *ipset_key(*set, u.flags);
        declare(table, *set, true);
    }

    void check_shared_updates() {
        for (const Table& table : ruleset.tables)
            for (const DeclaredIpset& d : table.ipsets) {
                if (!d.updated) continue;
                auto [first, inserted] = updated_in.try_emplace(d.set->name, &table);
                if (!inserted) report_split(*d.set, *first->second, table);
            }
        for (const Table& table : ruleset.tables)
            for (const DeclaredIpset& d : table.ipsets) {
                auto updater = updated_in.find(d.set->name);
                if (!d.updated && updater != updated_in.end()) report_split(*d.set, *updater->second, table);
            }
    }

    // A table's sets share one namespace: an ipset named as a recent list or connection count
    // of a table that uses it gets another name, everywhere (the ipset is the namespace's).
    void rename_beside_lists(TextStore& store) {
        std::unordered_set<std::string_view> taken;
        for (const auto& set : ruleset.ipsets) taken.insert(set->name);
        std::unordered_map<std::string_view, std::string_view> renames;
        for (const Table& table : ruleset.tables) {
            if (table.ipsets.empty()) continue;
            std::vector<DynamicSet> lists = dynamic_sets(table);
            for (const DynamicSet& list : lists) taken.insert(list.name);
            for (const DeclaredIpset& d : table.ipsets)
                if (std::any_of(lists.begin(), lists.end(), [&](const DynamicSet& l) { return l.name == d.set->name; }))
                    renames.emplace(d.set->name, std::string_view{});
        }
        for (auto& [from, to] : renames) {
            std::string name = std::string(from) + "_ipset";
            for (int n = 2; taken.count(name); ++n) name = fmt::format("{}_ipset{}", from, n);
            to = store.keep(name);
            taken.insert(to);
        }
        for (const auto& set : ruleset.ipsets)
            if (auto renamed = renames.find(set->name); renamed != renames.end())
                diags.warning(set->declared,
                              fmt::format("set {} is named {} in nft: a recent list of a table that uses it has its "
                                          "name",
                                          set->name, renamed->second),
                              "set-renamed");
        rename_ipsets(ruleset, renames);
    }

    void report_split(const Ipset& set, const Table& updater, const Table& other) {
        refuse(set.declared,
               fmt::format("set {} is changed by rules of table {} {} and used by table {} {}: ipset's set is one "
                           "for the namespace, nft's are a table's, and the copies would differ",
                           set.name, family_name(updater.family), updater.name, family_name(other.family), other.name));
    }
};

}  // namespace

void rename_ipsets(Ruleset& ruleset, const std::unordered_map<std::string_view, std::string_view>& renames) {
    if (renames.empty()) return;
    auto renamed = [&](std::string_view& name) {
        if (auto to = renames.find(name); to != renames.end()) name = to->second;
    };
    for (auto& set : ruleset.ipsets) renamed(set->name);
    for (auto& table : ruleset.tables)
        for (auto& chain : table.chains)
            for (auto& rule : chain.rules) {
                for (auto& c : rule.conditions)
                    if (auto* l = std::get_if<IpsetLookup>(&c.test)) renamed(l->set);
                for (auto& s : rule.statements)
                    if (auto* u = std::get_if<IpsetUpdate>(&s.action)) renamed(u->set);
            }
}

void resolve_ipsets(Ruleset& ruleset, TextStore& store, Diagnostics& diags) {
    Resolver r{ruleset, diags, {}, {}, {}};
    for (const auto& set : ruleset.ipsets) r.by_name.emplace(set->name, set.get());
    // The uses in one walk, in order (a table declares its sets in the order of first use); the
    // sets SET changes known before any lookup is judged.
    struct Use {
        Table* table;
        const Rule* rule;
        Condition* lookup;
        Statement* update;
    };
    std::vector<Use> uses;
    for (Table& table : ruleset.tables)
        for (Chain& chain : table.chains)
            for (Rule& rule : chain.rules) {
                for (Condition& c : rule.conditions)
                    if (std::holds_alternative<IpsetLookup>(c.test)) uses.push_back({&table, &rule, &c, nullptr});
                for (Statement& s : rule.statements)
                    if (auto* u = std::get_if<IpsetUpdate>(&s.action)) {
                        uses.push_back({&table, &rule, nullptr, &s});
                        r.updated.insert(u->set);
                    }
            }
    for (const Use& use : uses) {
        if (use.lookup) r.lookup(*use.table, std::get<IpsetLookup>(use.lookup->test), use.lookup->span);
        if (use.update) r.update(*use.table, *use.rule, std::get<IpsetUpdate>(use.update->action), use.update->span);
    }
    r.check_shared_updates();
    r.rename_beside_lists(store);
}

}  // namespace ipt2nft
