// Extension: one iptables match (-m) or target (-j): its options and how it lowers to the IR.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/option_args.hpp"
#include "grammar/values.hpp"
#include "grammar/word.hpp"
#include "ir/diagnostics.hpp"
#include "ir/rule.hpp"
#include "util/suggest.hpp"

namespace ipt2nft::grammar {

struct OptionDef {
    std::string_view name;  // long name without the dashes
    unsigned args = 1;      // how many words follow the option
    bool invertible = false;
    std::string_view alias_of = {};  // set on an alias: the name lowering looks up

    std::string_view canonical() const { return alias_of.empty() ? name : alias_of; }
};

struct OptionUse {
    const OptionDef* def;
    bool inverted = false;
    OptionArgs args;
    Span span;  // the option name through its last argument
};

struct ExtensionUse {
    std::string_view name;  // views the input or a literal
    Span span;              // `-m name` / `-j name`
    std::vector<OptionUse> options;

    const OptionUse* find(std::string_view option) const;
    std::string text() const;  // the options as written, for messages
};

// What lowering sees and writes: the rule so far, the family and the -p protocol.
struct LowerContext {
    Family family;
    std::optional<uint8_t> protocol;  // from -p, when not inverted
    bool protocol_inverted = false;
    Diagnostics& diags;
    ValueReader& values;
    TextStore& store;  // for text a rule keeps that the input does not hold as such
    Rule& rule;
    Span protocol_span{};                          // where -p stands: some matches need it before their own options
    std::optional<uint8_t> written_protocol = {};  // -p's number, negated or not

    void match(Compare c, Span span, HookLimit hook_limit = HookLimit::none) {
        auto& added = rule.conditions.emplace_back();
        added.test.emplace<Compare>(std::move(c));
        added.span = span;
        added.hook_limit = hook_limit;
    }
    // A test that keeps state: RateLimit, Quota, SetTest.
    template <typename Test>
    void stateful(Test t, Span span) {
        auto& added = rule.conditions.emplace_back();
        added.test.template emplace<Test>(std::move(t));
        added.span = span;
    }
    template <typename Action>
    void action(Action a, Span span) {
        // Built in place: moving a whole variant in trips GCC 12's -Wmaybe-uninitialized.
        Statement& s = rule.statements.emplace_back();
        s.action.template emplace<Action>(std::move(a));
        s.span = span;
    }
    // `value[/mask]` (a mark, a realm, a device group): (selector & mask) == value, the value as
    // given (xt_mark, xt_realm: a bit outside the mask never matches), or with `value_masked` its
    // bits in the mask alone (xt_devgroup's ((group ^ value) & mask) == 0).
    void match_masked(Selector selector, const OptionUse& o, HookLimit hook_limit = HookLimit::none,
                      bool value_masked = false);
    // The rule cannot be expressed in nft: record why, so the backend refuses it loudly.
    void untranslatable(const ExtensionUse& use, std::string reason);
    // A text option iptables cuts to `limit` bytes without a word (seen with iptables 1.8.9,
    // legacy and nft): cut the same way, with a warning.
    std::string_view kept_by_iptables(const Word& w, size_t limit, std::string_view what);
    // nft's protocol name for payload selectors: "tcp", "udp", ... (empty when -p is not given).
    std::string_view protocol_word() const;
};

// Which options a module needs and which it refuses together, as iptables checks them before
// the module reads its values. Names are canonical (no aliases).
struct OptionRules {
    std::vector<std::string_view> exactly_one_of = {};          // one of these, and only one
    std::vector<std::string_view> needs_one_of = {};            // at least one of these; empty: none needed
    bool needs_an_option = false;                               // at least one option of the module
    std::vector<std::vector<std::string_view>> exclusive = {};  // at most one option of each group
    std::vector<std::pair<std::string_view, std::string_view>> requires_ = {};  // {option, the option it needs}
};

struct Extension {
    std::string_view name;
    std::vector<OptionDef> options;
    void (*lower)(const ExtensionUse& use, LowerContext& ctx);
    OptionRules rules = {};
    std::optional<Family> only_family = {};  // a module of iptables alone or of ip6tables alone
};

// Reports each way `use` breaks its module's rules; false if there is one.
bool check_option_rules(const Extension& extension, const ExtensionUse& use, bool is_target, Diagnostics& diags);

const Extension* find_match(std::string_view name);
const Extension* find_target(std::string_view name);
// Names iptables knows but ipt2nft does not translate (yet): reported as untranslatable.
bool is_known_iptables_match(std::string_view name);
bool is_known_iptables_target(std::string_view name);
std::vector<std::string_view> all_match_names();

using ipt2nft::closest;

}  // namespace ipt2nft::grammar
