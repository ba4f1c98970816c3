// The named dynamic sets of a table, the agreement of the rules that share one, the counts' names.
#include "ir/dynamic_sets.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

namespace ipt2nft {

namespace {

template <typename Each>
void for_each_set_test(Table& table, Each each) {
    for (auto& chain : table.chains)
        for (auto& rule : chain.rules)
            for (auto& c : rule.conditions)
                if (auto* t = std::get_if<SetTest>(&c.test)) each(*t, c.span);
}

// The first lookup of each list with --seconds, or without; and the first table that uses it.
struct ListUse {
    const SetTest* lookup = nullptr;
    Span lookup_span;
    const Table* table = nullptr;
    Span table_span;
};

std::string timeout_words(const std::optional<uint32_t>& seconds) {
    return seconds ? fmt::format("--seconds {}", *seconds) : "no --seconds";
}

void check_list(const SetTest& t, Span span, const Table& table, ListUse& use, Diagnostics& diags) {
    if (!use.table) use.table = &table, use.table_span = span;
    if (use.table != &table) {
        diags
            .error(span,
                   fmt::format("recent list '{}' is also used by table {}: xt_recent's lists are shared by every "
                               "table, an nft set belongs to one; give this table's list another --name",
                               t.set, use.table->name),
                   "recent-list-shared")
            .notes.push_back({Severity::note, use.table_span, "used there", "recent-list-shared", {}});
        return;
    }
    bool lookup = t.action == SetTest::Action::check || t.action == SetTest::Action::check_update;
    if (!lookup) return;
    if (!use.lookup) {
        use.lookup = &t, use.lookup_span = span;
    } else if (use.lookup->seconds != t.seconds) {
        diags
            .error(span,
                   fmt::format("recent list '{}' is looked up with {} here and with {} before: an nft set has one "
                               "timeout, so a list's lookups must share theirs",
                               t.set, timeout_words(t.seconds), timeout_words(use.lookup->seconds)),
                   "recent-timeouts")
            .notes.push_back({Severity::note, use.lookup_span, "looked up there", "recent-timeouts", {}});
    }
}

// Each count's set named connlimitN, as iptables-translate names them, N from 0 in the table's
// order past the names its recent lists take.
void name_counts(Table& table, TextStore& store) {
    std::set<std::string_view> taken;
    for_each_set_test(table, [&](const SetTest& t, Span) {
        if (t.action != SetTest::Action::count) taken.insert(t.set);
    });
    size_t n = 0;
    for_each_set_test(table, [&](SetTest& t, Span) {
        if (t.action != SetTest::Action::count) return;
        std::string name;
        do name = fmt::format("connlimit{}", n++);
        while (taken.count(name));
        t.set = store.keep(name);
    });
}

}  // namespace

std::vector<DynamicSet> dynamic_sets(const Table& table) {
    std::vector<DynamicSet> sets;
    std::map<std::string_view, size_t> index;  // kube-proxy's tables hold a list per service
    for (const auto& chain : table.chains)
        for (const auto& rule : chain.rules)
            for (const auto& c : rule.conditions) {
                auto* t = std::get_if<SetTest>(&c.test);
                if (!t) continue;
                // The rules of a list share its timeout (resolve_dynamic_sets).
                auto [at, fresh] = index.try_emplace(t->set, sets.size());
                if (fresh) sets.push_back({t->set, describe(t->key).type, t->seconds, c.span});
                sets[at->second].added_to |= t->action != SetTest::Action::check;
            }
    return sets;
}

void resolve_dynamic_sets(Ruleset& ruleset, TextStore& store, Diagnostics& diags) {
    for (Family family : {Family::ipv4, Family::ipv6}) {
        std::map<std::string_view, ListUse> lists;
        for (auto& table : ruleset.tables) {
            if (table.family != family) continue;
            name_counts(table, store);
            for_each_set_test(table, [&](const SetTest& t, Span span) {
                if (t.action != SetTest::Action::count) check_list(t, span, table, lists[t.set], diags);
            });
            // An address is added with the timeout its lookups check; a list nobody looks up with
            // --seconds keeps its addresses.
            for_each_set_test(table, [&](SetTest& t, Span) {
                if (t.action == SetTest::Action::count) return;
                const ListUse& use = lists[t.set];
                if (use.table == &table) t.seconds = use.lookup ? use.lookup->seconds : std::nullopt;
            });
        }
    }
}

}  // namespace ipt2nft
