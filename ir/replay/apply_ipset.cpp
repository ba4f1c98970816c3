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
auto find_element(Ipset& set, std::string_view text) {
    return std::find_if(set.elements.begin(), set.elements.end(),
                        [&](const IpsetElement& e) { return e.text == text; });
}

void add(Ipset& set, IpsetChange& change, Diagnostics& diags) {
    const IpsetElement& e = change.element;
    const char* refused = nullptr;
    if (e.comment && !set.comments) refused = "Comment cannot be used: set was created without comment support";
    if (e.timeout && !set.timeout) refused = "Timeout cannot be used: set was created without timeout support";
    if (!change.exist && find_element(set, e.text) != set.elements.end())
        refused = "Element cannot be added to the set: it's already added";
    if (refused) {
        diags.error(e.span, fmt::format("ipset fails here: {} (set {})", refused, set.name), "ipset-refuses");
        return;
    }
    auto existing = find_element(set, e.text);
    if (existing != set.elements.end())
        *existing = std::move(change.element);  // -exist: the element again, its timeout and comment anew
    else
        set.elements.push_back(std::move(change.element));
}

void remove(Ipset& set, const IpsetChange& change, Diagnostics& diags) {
    auto existing = find_element(set, change.element.text);
    if (existing != set.elements.end()) {
        set.elements.erase(existing);
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
        case Kind::add: return add(**set, change, diags);
        case Kind::remove: return remove(**set, change, diags);
        case Kind::flush: (*set)->elements.clear(); return;
        case Kind::destroy: ruleset.ipsets.erase(set); return;
        case Kind::create: return;
    }
}

}  // namespace ipt2nft
