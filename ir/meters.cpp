// The meters of hashlimit matches: the masks of their keys, and the rules that share one.
#include "ir/meters.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "ir/dynamic_sets.hpp"

namespace ipt2nft {

namespace {

struct MeterUse {
    Meter* meter;
    Span span;
    const Table* table;
};

std::vector<MeterUse> meters_of(Table& table) {
    std::vector<MeterUse> uses;
    for (auto& chain : table.chains)
        for (auto& rule : chain.rules)
            for (auto& c : rule.conditions)
                if (auto* m = std::get_if<Meter>(&c.test)) uses.push_back({m, c.span, &table});
    return uses;
}

bool same_settings(const Meter& a, const Meter& b) {
    return a.key == b.key && a.source_prefix == b.source_prefix && a.destination_prefix == b.destination_prefix &&
           a.limit == b.limit && a.timeout_ms == b.timeout_ms && a.size == b.size;
}

bool name_taken(const Table& table, const std::vector<DynamicSet>& lists, std::string_view name) {
    return std::any_of(lists.begin(), lists.end(), [&](const DynamicSet& s) { return s.name == name; }) ||
           std::any_of(table.ipsets.begin(), table.ipsets.end(),
                       [&](const DeclaredIpset& d) { return d.set->name == name; });
}

void share(MeterUse& use, const MeterUse& first, Diagnostics& diags) {
    const Meter& made = *first.meter;
    Meter& m = *use.meter;
    if (use.table != first.table) {
        diags
            .error(use.span,
                   fmt::format("hashlimit '{}' is also used by table {}: xt_hashlimit's tables are shared by every "
                               "iptables table, an nft set belongs to one; give this rule another --hashlimit-name",
                               m.name, first.table->name),
                   "hashlimit-shared")
            .notes.push_back({Severity::note, first.span, "used there", "hashlimit-shared", {}});
        return;
    }
    if (m.over != made.over) {
        diags
            .error(use.span,
                   fmt::format("hashlimit '{}' is used with --hashlimit-{} here and --hashlimit-{} before: each "
                               "rule matches its own way in xt_hashlimit, but an nft set element keeps the way of "
                               "the rule that made it; give this rule another --hashlimit-name",
                               m.name, m.over ? "above" : "upto", made.over ? "above" : "upto"),
                   "hashlimit-shared")
            .notes.push_back({Severity::note, first.span, "used there", "hashlimit-shared", {}});
        return;
    }
    if (!same_settings(m, made))
        diags
            .warning(use.span,
                     fmt::format("hashlimit '{}' was made by an earlier rule, whose mode, rate, burst and expiry "
                                 "the kernel keeps for every rule of the name: this rule's own are ignored, and "
                                 "translated so",
                                 m.name),
                     "hashlimit-settings-ignored")
            .notes.push_back({Severity::note, first.span, "made there", "hashlimit-settings-ignored", {}});
    bool over = m.over;
    m = made;
    m.over = over;
}

}  // namespace

std::optional<Address> meter_part_mask(const Meter& meter, const ConcatPart& part) {
    auto* p = std::get_if<PayloadSelector>(&part);
    if (!p) return std::nullopt;
    bool v4 = p->field == PayloadField::ip_saddr || p->field == PayloadField::ip_daddr;
    bool source = p->field == PayloadField::ip_saddr || p->field == PayloadField::ip6_saddr;
    bool destination = p->field == PayloadField::ip_daddr || p->field == PayloadField::ip6_daddr;
    const std::optional<uint8_t>& prefix = source        ? meter.source_prefix
                                           : destination ? meter.destination_prefix
                                                         : std::nullopt;
    if (!prefix) return std::nullopt;
    return mask_of_length(v4 ? Family::ipv4 : Family::ipv6, *prefix);
}

Selector meter_key_selector(const Meter& meter) {
    if (meter.key.parts().size() == 1) return part_selector(meter.key.parts()[0]);
    return meter.key;
}

std::vector<MeterSet> meter_sets(const Table& table) {
    std::vector<MeterSet> sets;
    for (const auto& chain : table.chains)
        for (const auto& rule : chain.rules)
            for (const auto& c : rule.conditions)
                if (auto* m = std::get_if<Meter>(&c.test))
                    if (!m->shared || std::none_of(sets.begin(), sets.end(),
                                                   [&](const MeterSet& s) { return s.meter->name == m->name; }))
                        sets.push_back({m, c.span});
    return sets;
}

void resolve_meters(Ruleset& ruleset, Diagnostics& diags) {
    for (Family family : {Family::ipv4, Family::ipv6}) {
        std::map<std::string_view, MeterUse> first;
        for (auto& table : ruleset.tables) {
            if (table.family != family) continue;
            std::vector<MeterUse> uses = meters_of(table);
            if (uses.empty()) continue;
            std::vector<DynamicSet> lists = dynamic_sets(table);
            for (MeterUse& use : uses) {
                if (name_taken(table, lists, use.meter->name)) {
                    diags.error(use.span,
                                fmt::format("hashlimit '{}' has the name of a set of table {} (a recent list or an "
                                            "ipset), and nft's meter is a set of the table too: give it another "
                                            "--hashlimit-name",
                                            use.meter->name, table.name),
                                "hashlimit-name-taken");
                    continue;
                }
                auto [made, fresh] = first.try_emplace(use.meter->name, use);
                if (fresh) continue;
                share(use, made->second, diags);
                made->second.meter->shared = use.meter->shared = true;
            }
        }
    }
}

}  // namespace ipt2nft
