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

// An element is known by its text: `ipset del` of the same text as its `add` (another spelling of
// the same key is not told apart).
IpsetElement* find_element(Ipset& set, std::string_view text) {
    auto at = set.positions.find(text);
    return at == set.positions.end() ? nullptr : &set.elements[at->second];
}

void add(Ipset& set, IpsetChange& change, Diagnostics& diags) {
    const IpsetElement& e = change.element;
    const char* refused = nullptr;
    if (e.comment && !set.comments) refused = "Comment cannot be used: set was created without comment support";
    if (e.timeout && !set.timeout) refused = "Timeout cannot be used: set was created without timeout support";
    if (!change.exist && find_element(set, e.text)) refused = "Element cannot be added to the set: it's already added";
    if (refused) {
        diags.error(e.span, fmt::format("ipset fails here: {} (set {})", refused, set.name), "ipset-refuses");
        return;
    }
    if (IpsetElement* existing = find_element(set, e.text)) {
        *existing = std::move(change.element);  // -exist: the element again, its timeout and comment anew
        return;
    }
    set.positions.emplace(e.text, set.elements.size());
    set.elements.push_back(std::move(change.element));
}

void remove(Ipset& set, const IpsetChange& change, Diagnostics& diags) {
    auto at = set.positions.find(change.element.text);
    if (at != set.positions.end()) {
        // Rare beside adds: the positions after it are counted again.
        set.elements.erase(set.elements.begin() + static_cast<std::ptrdiff_t>(at->second));
        set.positions.clear();
        for (size_t i = 0; i < set.elements.size(); ++i) set.positions.emplace(set.elements[i].text, i);
    } else if (!change.exist) {
        diags.error(
            change.element.span,
            fmt::format("ipset fails here: Element cannot be deleted from the set: it's not added (set {})", set.name),
            "ipset-refuses");
    }
}

}  // namespace

void apply_ipset(Ruleset& ruleset, IpsetChange& change, Diagnostics& diags) {
    using Kind = IpsetChange::Kind;
    if (change.kind == Kind::create) return create(ruleset, change, diags);
    if (change.set.empty()) {  // flush or destroy of every set
        if (change.kind == Kind::destroy) ruleset.ipsets.clear();
        for (auto& set : ruleset.ipsets) {
            set->elements.clear();
            set->positions.clear();
        }
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
        case Kind::add: return add(**set, change, diags);
        case Kind::remove: return remove(**set, change, diags);
        case Kind::flush:
            (*set)->elements.clear();
            (*set)->positions.clear();
            return;
        case Kind::destroy: ruleset.ipsets.erase(set); return;
        case Kind::create: return;
    }
}

}  // namespace ipt2nft
