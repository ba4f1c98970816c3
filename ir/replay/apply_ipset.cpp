// Replaying ipset commands: the sets they leave, in the order they were created.
#include "ir/replay/apply_ipset.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ipt2nft {

namespace {

std::vector<std::shared_ptr<Ipset>>::iterator find_set(Ruleset& ruleset, std::string_view name) {
    return std::find_if(ruleset.ipsets.begin(), ruleset.ipsets.end(),
                        [&](const auto& set) { return set->name == name; });
}

void create(Ruleset& ruleset, IpsetChange& change, Diagnostics& diags) {
    auto existing = find_set(ruleset, change.set);
    if (existing == ruleset.ipsets.end()) {
        ruleset.ipsets.push_back(std::make_shared<Ipset>(std::move(change.created)));
        return;
    }
    // ipset -exist passes over a set made again with the same type, and fails on another.
    if (change.exist && (*existing)->type_text == change.created.type_text &&
        (*existing)->family == change.created.family)
        return;
    diags.error(change.set_span,
                fmt::format("set {} already exists{}: ipset fails here", change.set,
                            change.exist ? fmt::format(" with type {}", (*existing)->type_text) : ""),
                "ipset-exists");
    diags.note((*existing)->declared, "created here", "ipset-exists");
}

}  // namespace

void apply_ipset(Ruleset& ruleset, IpsetChange& change, Diagnostics& diags) {
    using Kind = IpsetChange::Kind;
    if (change.kind == Kind::create) return create(ruleset, change, diags);
    if (change.set.empty()) {  // flush or destroy of every set
        if (change.kind == Kind::destroy) ruleset.ipsets.clear();
        for (auto& set : ruleset.ipsets) set->elements.clear();
        return;
    }
    auto set = find_set(ruleset, change.set);
    if (set == ruleset.ipsets.end()) {
        diags.error(change.set_span,
                    fmt::format("no set {} exists here: ipset fails (create it first, with `ipset create` or "
                                "in an `ipset save` file given before this one)",
                                change.set),
                    "unknown-ipset");
        return;
    }
    switch (change.kind) {
        case Kind::add: (*set)->elements.push_back(std::move(change.element)); return;
        case Kind::remove: {
            // As written: `ipset del` of the same text as its `add` (another spelling of the key stays).
            auto& elements = (*set)->elements;
            std::erase_if(elements, [&](const IpsetElement& e) { return e.text == change.element.text; });
            return;
        }
        case Kind::flush: (*set)->elements.clear(); return;
        case Kind::destroy: ruleset.ipsets.erase(set); return;
        case Kind::create: return;
    }
}

}  // namespace ipt2nft
