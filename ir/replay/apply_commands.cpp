// Replays commands as the kernel would apply them: a `*table` block replaces the table at its
// COMMIT (iptables-restore), a command stream edits the live ruleset one command at a time.
#include "ir/replay/apply_commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "ir/netfilter_tables.hpp"
#include "ir/passes/chain_graph.hpp"
#include "ir/passes/checks.hpp"
#include "ir/replay/apply_ipset.hpp"
#include "ir/replay/chain_lookups.hpp"
#include "ir/target_names.hpp"
#include "util/suggest.hpp"

namespace ipt2nft {

namespace detail {

// Finds for each rule of a command the first rule of a chain that iptables takes for equal (-C,
// -D) and that an earlier rule of the command has not taken: in the chain's index, or along the
// chain when it has none.
class EqualRules {
public:
    EqualRules(const RuleList& rules, const SpecIndex* index) : rules_(rules), index_(index) {}

    // The rule's place, taken when `take`; nullopt when there is none.
    std::optional<size_t> find(const Rule& spec, bool take) {
        auto untaken_equal = [&](size_t i) { return !taken_.contains(i) && rules_[i].same_spec(spec); };
        std::optional<size_t> found;
        if (index_) {
            found = index_->find(spec, untaken_equal);
        } else {
            for (size_t i = 0; i < rules_.size() && !found; ++i)
                if (untaken_equal(i)) found = i;
        }
        if (found && take) taken_.insert(*found);
        return found;
    }
    // Not a flag per rule of the chain: a command of one rule would pay for the chain's length.
    const std::unordered_set<size_t>& taken() const { return taken_; }

private:
    const RuleList& rules_;
    const SpecIndex* index_;
    std::unordered_set<size_t> taken_;
};

class Replayer {
public:
    // `lookups`: those of the replayer this one runs a command for, if any.
    Replayer(Ruleset& r, Diagnostics& d, const ApplyOptions& o, ChainLookups* lookups = nullptr)
        : ruleset_(r), diags_(d), options_(o), lookups_(lookups ? lookups : &own_lookups_) {}

    bool apply(Command&& c) {
        lookups_->forget_what_changes(c);
        if (c.on_failure != GoesOn::no) {
            // Replayed apart, so that its errors, if any, become one warning and change nothing.
            GoesOn why = std::exchange(c.on_failure, GoesOn::no);
            Span at = c.span;
            bool answers = c.kind == CommandKind::check;  // -C failing is its answer, not a fault
            // Whether -N fails decides what an operator runs next; the next line runs either way.
            if (why == GoesOn::by_operator && c.kind == CommandKind::new_chain && unseen_chain(c)) return true;
            Diagnostics failure{SIZE_MAX};
            Replayer alone(ruleset_, failure, options_, lookups_);
            alone.apply(std::move(c));
            // Not knowing what the command does (--noflush) is no failure of it: still an error.
            bool unknown = std::any_of(failure.all().begin(), failure.all().end(),
                                       [](const Diagnostic& d) { return d.code == unseen_code; });
            if (unknown) {
                failure.transfer(0, failure.all().size(), diags_);
                return true;
            }
            if (answers) return !failure.has_errors();
            return !failure.transfer_allowed_failure(at, diags_, goes_on_reason(why));
        }
        switch (c.kind) {
            case CommandKind::table_begin: begin_table(c); return true;
            case CommandKind::commit: commit(); return true;
            case CommandKind::chain_declare: declare(c); return true;
            case CommandKind::ipset: apply_ipset(ruleset_, *c.ipset, diags_); return true;
            default: break;
        }
        bool table_existed = c.from_save || ruleset_.find(c.family, c.table);
        size_t errors_before = diags_.error_count();
        Table* t = table_for(c);
        if (!table_existed) lookups_->tables_moved();
        if (t) edit(*t, std::move(c));
        // A command that fails changes nothing, not even the table it would have made (seen:
        // iptables-nft leaves no table after a refused `iptables -A INPUT -j NOSUCH`).
        if (t && !table_existed && diags_.error_count() > errors_before) {
            ruleset_.tables.pop_back();
            lookups_->tables_moved();
        }
        return true;
    }

    void set_noflush(bool noflush) { options_.noflush = noflush; }

private:
    Ruleset& ruleset_;
    Diagnostics& diags_;
    ApplyOptions options_;
    std::optional<Table> pending_;      // the table of an open `*table` block
    bool block_noflush_ = false;        // the open block adds to its table (--noflush)
    bool block_has_rules_ = false;      // the open block has added a rule
    bool block_declared_late_ = false;  // ... and then declared a user chain
    ChainLookups own_lookups_;
    ChainLookups* lookups_;

    bool valid_table(const Command& c) {
        const auto& names = table_names();
        if (std::find(names.begin(), names.end(), c.table) != names.end()) return true;
        std::vector<std::string_view> candidates(names.begin(), names.end());
        diags_.error(c.table_span.valid() ? c.table_span : c.span,
                     fmt::format("unknown table '{}'{}", c.table, did_you_mean(c.table, candidates)), "unknown-table");
        return false;
    }

    Table* table_for(const Command& c) {
        if (c.from_save) return pending_ ? &*pending_ : nullptr;
        if (!valid_table(c)) return nullptr;
        if (Table* t = ruleset_.find(c.family, c.table)) return t;
        // -F, -X and -Z of a whole table that does not exist leave it so, and -Z changes no chain
        // (seen with iptables-nft: `iptables -Z` alone makes no table); everything else creates it.
        // With --noflush the kernel may hold the table: a whole-table -F or -X is for it.
        bool whole_table = (c.kind == CommandKind::flush || c.kind == CommandKind::delete_chain) && c.chain.empty();
        if ((whole_table && !options_.adds_to_kernel) || c.kind == CommandKind::zero) {
            if (c.kind == CommandKind::zero && !unseen_counters(nullptr, c)) {
                zero_missing_chain(c, c.table);
                if (c.number) zero_rule(nullptr, c);
            }
            return nullptr;
        }
        Table t;
        t.family = c.family;
        t.name = c.table;
        t.declared = c.span;
        ruleset_.tables.push_back(std::move(t));
        return &ruleset_.tables.back();
    }

    // A built-in chain comes into being on first use, with policy ACCEPT, as in iptables-nft.
    Chain* chain_for(Table& t, const Command& c, bool create_user_chain) {
        if (Chain* ch = t.find(c.chain)) return ch;
        if (find_builtin_chain(t.name, c.chain)) {
            Chain ch;
            ch.name = c.chain;
            ch.builtin = true;
            ch.declared = c.chain_span;
            ch.unseen_kernel_rules = kernel_may_hold_rules(t);
            insert_builtin(t, std::move(ch));
            return t.find(c.chain);
        }
        if (create_user_chain) {
            Chain ch;
            ch.name = c.chain;
            ch.declared = c.chain_span;
            ch.unseen_kernel_rules = kernel_may_hold_rules(t);
            return &t.add(std::move(ch));
        }
        std::vector<std::string_view> names;
        for (const auto& ch : t.chains) names.push_back(ch.name);
        for (const auto& b : builtin_chains(t.name)) names.push_back(b.name);
        diags_.error(
            c.chain_span,
            fmt::format("chain '{}' does not exist in table {}{}", c.chain, t.name, missing_chain_hint(c.chain, names)),
            "unknown-chain");
        return nullptr;
    }

    // Under --noflush, whether -N of a chain not met yet fails (the kernel holding it) cannot be
    // seen: an error when that decides what runs next (`-N X || -F X`).
    bool unseen_chain(const Command& c) {
        const Table* t = ruleset_.find(c.family, c.table);
        if (!options_.adds_to_kernel || (t && t->find(c.chain))) return false;
        unseen(c.chain_span, fmt::format("chain {} may be in the kernel already, which ipt2nft cannot see: whether "
                                         "-N fails cannot be known",
                                         c.chain));
        return true;
    }

    // Under --noflush, what the command does depends on what the kernel holds, which the input
    // does not show: one error code for all such, which `|| true` does not excuse.
    static constexpr std::string_view unseen_code = "unseen-kernel-rules";
    void unseen(Span at, std::string_view why) {
        diags_.error(at, fmt::format("with --noflush, {}", why), std::string(unseen_code));
    }

    // A chain first met in a script that adds to the kernel's tables may hold rules there.
    bool kernel_may_hold_rules(const Table& t) const { return options_.adds_to_kernel && !t.kernel_flushed; }

    // Under --noflush: whether the command's effect can be known, which it cannot when it depends
    // on the rules the kernel may hold in the chain; an error says so.
    bool sees_whole_chain(const Chain& ch, const Command& c, std::string_view what) {
        if (!ch.unseen_kernel_rules) return true;
        unseen(c.number_span.valid() ? c.number_span : c.span,
               fmt::format("chain {} may already hold rules in the kernel, which ipt2nft cannot see: {} cannot be "
                           "known (flush the chain first, or translate without --noflush)",
                           ch.name, what));
        return false;
    }

    // Built-in chains are kept first and in the kernel's order, whatever order they appear in.
    static void insert_builtin(Table& t, Chain ch) {
        auto chains = std::move(t.chains);
        Table fresh;
        fresh.family = t.family;
        fresh.name = t.name;
        fresh.declared = t.declared;
        fresh.kernel_edits = std::move(t.kernel_edits);
        fresh.kernel_flushed = t.kernel_flushed;
        t = std::move(fresh);
        const auto& order = builtin_chains(t.name);
        auto rank = [&](const Chain& c) {
            for (size_t i = 0; i < order.size(); ++i)
                if (order[i].name == c.name && c.builtin) return i;
            return order.size();
        };
        chains.push_back(std::move(ch));
        std::stable_sort(chains.begin(), chains.end(),
                         [&](const Chain& a, const Chain& b) { return rank(a) < rank(b); });
        for (auto& c : chains) t.add(std::move(c));
    }

    void begin_table(const Command& c) {
        pending_.reset();
        block_has_rules_ = block_declared_late_ = false;
        block_noflush_ = options_.noflush || c.noflush;
        if (!valid_table(c)) return;
        pending_ = Table{};
        pending_->family = c.family;
        pending_->name = c.table;
        pending_->declared = c.span;
        if (block_noflush_)
            if (const Table* existing = ruleset_.find(c.family, c.table)) pending_ = *existing;
    }

    // iptables itself refuses DROP in the nat table, as a target and as a policy set by -P
    // ("not intended for filtering"; seen with iptables-nft and -legacy, commands and restore
    // lines alike). A `:CHAIN DROP` declaration in a restore file it takes.
    bool drop_in_nat(const Table& t, const Command& c) {
        if (t.name != "nat") return false;
        if (c.kind == CommandKind::policy && c.argument == "DROP") {
            diags_.error(c.argument_span, "iptables refuses a DROP policy in the nat table: it is not for filtering",
                         "drop-in-nat");
            return true;
        }
        if (c.kind != CommandKind::append && c.kind != CommandKind::insert && c.kind != CommandKind::replace)
            return false;
        if (!c.rule) return false;
        for (const auto& s : c.rule->statements)
            if (auto* v = std::get_if<Verdict>(&s.action); v && v->kind == VerdictKind::drop) {
                diags_.error(c.rule->origin.target_span,
                             "iptables refuses -j DROP in the nat table: it is not for filtering", "drop-in-nat");
                return true;
            }
        return false;
    }

    // iptables looks up a jump's chain when it adds the rule: a chain created after it does not
    // count (seen: a script's `-A INPUT -j X` before `-N X` fails, and so does a restore block
    // declaring X after the rule, iptables-nft and -legacy alike). With --noflush the kernel may
    // hold the chain; check_references speaks of those at the end. A command is checked as it
    // comes; a restore block at its COMMIT, and only when it declared a chain after a rule: a
    // look-up per jump would cost a save file of a hundred thousand jumps (kube-proxy) 7 percent.
    bool jump_to_missing_chain(const Table& t, const Command& c) {
        if (options_.chains_exist || options_.adds_to_kernel || !c.rule) return false;
        for (const auto& s : c.rule->statements) {
            const Verdict* v = chain_jump(s);
            if (!v || t.find(v->chain) || find_builtin_chain(t.name, v->chain)) continue;
            report_early_jump(t, *c.rule, *v, true);
            return true;
        }
        return false;
    }

    // The rules of a restore block that jump to a user chain it declares after them (rule and
    // declaration in one file, in the order they are read; a jump to a built-in chain is
    // check_references' error).
    void check_block_jumps(const Table& t) {
        if (!block_declared_late_ || options_.chains_exist || options_.adds_to_kernel) return;
        auto declared_after = [&](const Rule& r, const Verdict& v) {
            const Chain* target = t.find(v.chain);
            return target && !target->builtin && target->declared.file == r.origin.span.file &&
                   target->declared.begin > r.origin.span.begin;
        };
        for (const auto& ch : t.chains)
            for (const auto& r : ch.rules)
                for (const auto& s : r.statements)
                    if (const Verdict* v = chain_jump(s); v && declared_after(r, *v))
                        report_early_jump(t, r, *v, false);
    }

    // `made_outside`: the input may never create the chain (one docker or ufw made, say).
    void report_early_jump(const Table& t, const Rule& rule, const Verdict& jump, bool made_outside) {
        diags_.error(rule.origin.target_span,
                     fmt::format("{} when this rule is added: iptables looks the chain up then, so it must be created "
                                 "before the rules that jump to it{}",
                                 unknown_jump_message(t, jump.chain, false),
                                 made_outside ? missing_chain_hint(jump.chain, {}) : ""),
                     "unknown-chain");
    }

    void edit(Table& t, Command&& c) {
        if (c.from_save) {
            bool adds_rule =
                c.kind == CommandKind::append || c.kind == CommandKind::insert || c.kind == CommandKind::replace;
            block_declared_late_ = block_declared_late_ || (block_has_rules_ && c.kind == CommandKind::new_chain);
            block_has_rules_ = block_has_rules_ || adds_rule;
        }
        if (drop_in_nat(t, c) || (!c.from_save && jump_to_missing_chain(t, c))) return;
        switch (c.kind) {
            case CommandKind::append:
            case CommandKind::insert:
            case CommandKind::replace: add_rule(t, std::move(c)); break;
            case CommandKind::delete_spec: delete_spec(t, c); break;
            case CommandKind::check: check(t, c); break;
            case CommandKind::delete_number: {
                Chain* ch = chain_for(t, c, options_.chains_exist);
                if (!ch || !sees_whole_chain(*ch, c, "the rule -D deletes") || !rule_number_ok(*ch, c)) return;
                size_t at = *c.number - 1;
                lookups_->erasing(t, *ch, at);
                ch->rules.erase(at, at + 1);
                break;
            }
            case CommandKind::new_chain: new_chain(t, c); break;
            case CommandKind::delete_chain: delete_chain(t, c); break;
            case CommandKind::policy: {
                Chain* ch = chain_for(t, c, false);
                if (!ch) return;
                if (!ch->builtin) {
                    diags_.error(c.chain_span,
                                 fmt::format("'{}' is a user chain: only built-in chains have a policy", c.chain),
                                 "policy-on-user-chain");
                    return;
                }
                if (auto verdict = policy_verdict(c)) {
                    ch->policy = verdict;
                    ch->policy_span = c.argument_span;
                }
                break;
            }
            case CommandKind::flush:
                if (c.chain.empty()) {
                    for (auto& ch : t.chains) {
                        lookups_->emptying(t, ch);
                        ch.rules.clear();
                        ch.unseen_kernel_rules = false;
                    }
                    if (options_.adds_to_kernel) {
                        t.kernel_flushed = true;
                        t.kernel_edits.push_back({KernelEdit::Kind::flush_table, {}});
                    }
                } else if (Chain* ch = chain_for(t, c, options_.chains_exist)) {
                    lookups_->emptying(t, *ch);
                    ch->rules.clear();
                    if (ch->unseen_kernel_rules) t.kernel_edits.push_back({KernelEdit::Kind::flush_chain, ch->name});
                    ch->unseen_kernel_rules = false;
                }
                break;
            case CommandKind::rename: rename(t, c); break;
            case CommandKind::zero:
                if (unseen_counters(&t, c)) break;
                if (!t.find(c.chain) && !kernel_chain(t, c.chain)) zero_missing_chain(c, t.name);
                if (c.number) {
                    zero_rule(t.find(c.chain), c);
                    break;
                }
                if (c.chain.empty())
                    for (auto& ch : t.chains) zero_chain(ch);
                else if (Chain* ch = t.find(c.chain))
                    zero_chain(*ch);
                break;
            default: break;
        }
    }

    static void zero_chain(Chain& ch) {
        for (auto& r : ch.rules)
            if (r.origin.counters) r.origin.counters = Counters{};
        if (ch.policy_counters) ch.policy_counters = Counters{};
    }

    // -Z of a user chain that is not there fails; a built-in chain always has zero counters.
    void zero_missing_chain(const Command& c, std::string_view table) {
        if (!c.chain.empty() && !find_builtin_chain(table, c.chain))
            diags_.error(c.chain_span, fmt::format("chain '{}' does not exist in table {}", c.chain, table),
                         "unknown-chain");
    }

    // Under --noflush, -Z of a chain whose kernel rules are unseen: their counters stay (nft has
    // no command to reset a rule's counter), which changes no packet's fate; a warning says so.
    // True when the rule a number names is not known, so the view changes nothing.
    bool unseen_counters(const Table* t, const Command& c) {
        if (!options_.adds_to_kernel) return false;
        const Chain* ch = t && !c.chain.empty() ? t->find(c.chain) : nullptr;
        bool unseen = ch ? ch->unseen_kernel_rules : !t || !t->kernel_flushed;
        if (unseen)
            diags_.warning(c.span,
                           "with --noflush, the counters of rules the kernel already holds are not zeroed: nft "
                           "cannot reset a rule's counter in a script",
                           std::string(unseen_code));
        return unseen && c.number;
    }

    // `-Z CHAIN N` zeroes rule N alone, not the chain's other rules nor its policy (seen with
    // iptables-nft and iptables-legacy); a number past the end fails in iptables-legacy.
    void zero_rule(Chain* ch, const Command& c) {
        if (!ch) {
            if (!find_builtin_chain(c.table, c.chain)) return;  // already told: no such chain
            Chain empty;                                        // a built-in chain not yet made has no rules
            empty.name = c.chain;
            rule_number_ok(empty, c);
            return;
        }
        if (!rule_number_ok(*ch, c)) return;
        Rule& r = ch->rules[*c.number - 1];
        if (r.origin.counters) r.origin.counters = Counters{};
    }

    void commit() {
        if (!pending_) return;
        check_block_jumps(*pending_);
        if (Table* existing = ruleset_.find(pending_->family, pending_->name))
            *existing = std::move(*pending_);
        else
            ruleset_.tables.push_back(std::move(*pending_));
        pending_.reset();
    }

    void declare(const Command& c) {
        if (!pending_) return;
        Table& t = *pending_;
        bool builtin = find_builtin_chain(t.name, c.chain) != nullptr;
        block_declared_late_ = block_declared_late_ || (block_has_rules_ && !builtin);
        Chain* ch = t.find(c.chain);
        // iptables-restore takes a built-in chain declared again (legacy and nft alike: the later
        // policy counts) or declared after rules that used it, but refuses a user chain twice.
        if (ch && !block_noflush_ && (!builtin || ch->policy)) {
            Diagnostic& d =
                builtin ? diags_.warning(c.chain_span,
                                         fmt::format("chain '{}' is declared twice in this table: the later policy "
                                                     "counts, as in iptables-restore",
                                                     c.chain),
                                         "duplicate-chain")
                        : diags_.error(c.chain_span, fmt::format("chain '{}' is declared twice in this table", c.chain),
                                       "duplicate-chain");
            d.notes.push_back(Diagnostic{Severity::note, ch->declared, "first declared here", "duplicate-chain", {}});
            if (!builtin) return;
        }
        if (ch && builtin && !ch->policy) ch->declared = c.chain_span;  // created by a rule before
        if (!ch) {
            Chain fresh;
            fresh.name = c.chain;
            fresh.builtin = builtin;
            fresh.declared = c.chain_span;
            fresh.unseen_kernel_rules = builtin && kernel_may_hold_rules(t);
            if (builtin) {
                insert_builtin(t, std::move(fresh));
                ch = t.find(c.chain);
            } else {
                ch = &t.add(std::move(fresh));
            }
        }
        if (block_noflush_ && !builtin) {
            ch->rules.clear();  // --noflush: a declared user chain starts empty again
            ch->unseen_kernel_rules = false;
            if (options_.adds_to_kernel && !ch->made_here)
                t.kernel_edits.push_back({KernelEdit::Kind::flush_chain, ch->name});
        }
        if (!builtin) {
            if (c.argument != "-")
                diags_.error(
                    c.argument_span,
                    fmt::format("'{}' is a user chain: only built-in chains have a policy (write '-')", c.chain),
                    "policy-on-user-chain");
            valid_chain_name(c);
            return;
        }
        if (c.argument == "-") {
            // iptables-restore takes '-' for a built-in chain as "no policy given": the kernel's
            // stays with --noflush; a replaced table starts with ACCEPT in iptables-nft-restore,
            // while iptables-legacy-restore keeps the old policy even then (both seen).
            if (!block_noflush_)
                diags_.warning(c.argument_span,
                               fmt::format("no policy for built-in chain {}: it is ACCEPT once the table is replaced, "
                                           "as iptables-nft-restore makes it (iptables-legacy-restore keeps the "
                                           "policy the chain had before)",
                                           c.chain),
                               "policy-unset");
            return;
        }
        if (auto verdict = policy_verdict(c)) {
            ch->policy = verdict;
            ch->policy_span = c.argument_span;
            ch->policy_counters = c.counters;
        }
    }

    // A built-in chain's policy is ACCEPT or DROP, in these capitals (iptables-nft compares them
    // so), and becomes the chain's verdict.
    std::optional<VerdictKind> policy_verdict(const Command& c) {
        if (c.argument == "ACCEPT") return VerdictKind::accept;
        if (c.argument == "DROP") return VerdictKind::drop;
        diags_.error(c.argument_span, fmt::format("policy of {} must be ACCEPT or DROP, not '{}'", c.chain, c.argument),
                     "bad-policy");
        return std::nullopt;
    }

    bool valid_chain_name(const Command& c) {
        // The kernel keeps chain names in 29 bytes with the NUL, and iptables refuses names
        // that would read as options or targets.
        if (c.chain.size() > 28) {
            diags_.error(c.chain_span, fmt::format("chain name '{}' is longer than 28 characters", c.chain),
                         "bad-chain-name");
            return false;
        }
        if (c.chain.empty() || c.chain[0] == '-' || c.chain == "!" ||
            std::any_of(c.chain.begin(), c.chain.end(), [](char ch) { return ch == ' ' || ch == '\t'; })) {
            diags_.error(c.chain_span, fmt::format("invalid chain name '{}'", c.chain), "bad-chain-name");
            return false;
        }
        // A set: kube-proxy tables declare tens of thousands of chains.
        static const auto target_names = [] {
            auto names = iptables_target_names();
            return std::unordered_set<std::string_view>(names.begin(), names.end());
        }();
        if (target_names.contains(c.chain)) {
            diags_.error(c.chain_span, fmt::format("chain name '{}' is the name of a target", c.chain),
                         "bad-chain-name");
            return false;
        }
        return true;
    }

    bool rule_number_ok(const Chain& ch, const Command& c, bool past_end_ok = false) {
        size_t limit = ch.rules.size() + (past_end_ok ? 1 : 0);
        if (*c.number > limit) {
            diags_.error(c.number_span,
                         fmt::format("chain {} has {} rule{}: there is no rule {}", ch.name, ch.rules.size(),
                                     ch.rules.size() == 1 ? "" : "s", *c.number),
                         "bad-rule-number");
            return false;
        }
        return true;
    }

    // Each rule of an address list goes to the same position, so the last ends first (seen with
    // iptables-nft: `-I INPUT -s a,b` lists b before a): put there at once, in that order, so
    // that a list of thousands moves the rules after it once.
    void insert_each_at(const Table& t, Chain& ch, size_t at, Command& c, bool ahead_of_kernel_rules) {
        std::vector<Rule> block;
        block.reserve(c.rule_count());
        c.each_rule([&](Rule& r) {
            r.origin.ahead_of_kernel_rules = ahead_of_kernel_rules;
            block.push_back(std::move(r));
        });
        std::reverse(block.begin(), block.end());
        lookups_->inserting(t, ch, at, block);
        ch.rules.insert(at, std::move(block));
    }

    void add_rule(Table& t, Command&& c) {
        Chain* ch = chain_for(t, c, options_.chains_exist);
        if (!ch || !c.rule) return;
        if (c.kind == CommandKind::append) {
            c.each_rule([&](Rule& r) {
                lookups_->appending(t, *ch, r);
                ch->rules.push_back(std::move(r));
            });
        } else if (c.kind == CommandKind::insert) {
            uint32_t at = c.number.value_or(1);
            if (ch->unseen_kernel_rules && at == 1) {
                insert_each_at(t, *ch, 0, c, true);  // ahead of the kernel's rules
                return;
            }
            if (!sees_whole_chain(*ch, c, "the place of the rule -I inserts below the first")) return;
            if (c.number && !rule_number_ok(*ch, c, true)) return;
            insert_each_at(t, *ch, at - 1, c, false);
        } else {
            if (!sees_whole_chain(*ch, c, "the rule -R replaces") || !rule_number_ok(*ch, c)) return;
            size_t at = *c.number - 1;
            lookups_->replacing(t, *ch, at, *c.rule);
            ch->rules[at] = std::move(*c.rule);  // the parser gives -R no more rules
        }
    }

    // -C fails, as an error the input lets pass, when no rule of the chain equals the command's.
    void check(Table& t, Command& c) {
        Chain* ch = chain_for(t, c, options_.chains_exist);
        if (!ch || !c.rule || !sees_whole_chain(*ch, c, "whether the rule is there")) return;
        // Each rule of the command is looked for on its own: `-C INPUT -s a,a` finds one rule twice.
        EqualRules equal(ch->rules, lookups_->index_to_look(t, *ch, c.rule_count() > 1));
        bool all_there = true;
        c.each_rule([&](const Rule& spec) { all_there = all_there && equal.find(spec, false); });
        if (!all_there)
            diags_.error(c.span, fmt::format("no rule in chain {} matches this rule specification", ch->name),
                         "no-such-rule");
    }

    void delete_spec(Table& t, Command& c) {
        Chain* ch = chain_for(t, c, options_.chains_exist);
        if (!ch || !c.rule || !sees_whole_chain(*ch, c, "which rule -D deletes (the first equal one)")) return;
        // Each rule of the command deletes the first equal rule not yet taken. iptables-nft sends
        // them in one batch: when one is missing, none goes (`-D INPUT -s a,a` with one rule for a).
        EqualRules equal(ch->rules, lookups_->index_to_look(t, *ch, c.rule_count() > 1));
        bool all_found = true;
        std::optional<size_t> last;
        c.each_rule([&](const Rule& spec) {
            last = equal.find(spec, true);
            all_found = last && all_found;
        });
        const auto& taken = equal.taken();
        if (!all_found && (options_.adds_to_kernel || !options_.chains_exist)) {
            diags_.error(c.span,
                         c.rule_count() == 1
                             ? fmt::format("no rule in chain {} matches this rule specification", ch->name)
                             : fmt::format("these addresses make {} rules, and chain {} does not hold them all: "
                                           "iptables then deletes none",
                                           c.rule_count(), ch->name),
                         "no-such-rule");
            return;
        }
        if (c.rule_count() == 1) {  // one rule out: the list moves only what it must (none from the top)
            if (last) {
                lookups_->erasing(t, *ch, *last);
                ch->rules.erase(*last, *last + 1);
            }
            return;
        }
        lookups_->erasing(t, *ch, taken);
        size_t kept = 0;
        for (size_t i = 0; i < ch->rules.size(); ++i)
            if (!taken.contains(i)) {
                if (kept != i) ch->rules[kept] = std::move(ch->rules[i]);
                ++kept;
            }
        ch->rules.erase(kept, ch->rules.size());
    }

    void new_chain(Table& t, const Command& c) {
        if (t.find(c.chain) || find_builtin_chain(t.name, c.chain)) {
            diags_.error(c.chain_span, fmt::format("chain '{}' already exists", c.chain), "chain-exists");
            return;
        }
        if (!valid_chain_name(c)) return;
        Chain ch;
        ch.name = c.chain;
        ch.declared = c.chain_span;
        ch.made_here = true;
        t.add(std::move(ch));
    }

    bool referenced(const Table& t, std::string_view chain, const Command& c) {
        if (!lookups_->jumped_to(t, chain)) return false;
        const Chain* from = nullptr;
        auto rules = rules_jumping_to(t, chain, &from);
        if (rules.empty()) return false;  // a count may be too high (see JumpCounts): the rules decide
        auto& d = diags_.error(
            c.chain_span.valid() ? c.chain_span : c.span,
            fmt::format("chain '{}' cannot be deleted: chain {} still jumps to it", chain, from->name), "chain-in-use");
        d.notes.push_back(
            Diagnostic{Severity::note, rules.front()->origin.span, "referenced here", "chain-in-use", {}});
        return true;
    }

    void delete_chain(Table& t, const Command& c) {
        if (c.chain.empty() && options_.adds_to_kernel) {
            unseen(c.span,
                   "-X without a chain also deletes the user chains the kernel holds, which ipt2nft cannot see: name "
                   "each chain to delete, or translate without --noflush");
            return;
        }
        if (c.chain.empty()) {
            std::vector<std::string_view> users;
            for (const auto& ch : t.chains)
                if (!ch.builtin) users.push_back(ch.name);
            // Rules of the chains being deleted do not hold them; only the ones that stay do.
            for (const auto& ch : t.chains) {
                if (!ch.builtin) continue;
                for (const auto& r : ch.rules)
                    for (const auto& s : r.statements)
                        if (const Verdict* v = chain_jump(s)) {
                            diags_
                                .error(c.span,
                                       fmt::format("user chains cannot be deleted: chain {} still jumps to {}", ch.name,
                                                   v->chain),
                                       "chain-in-use")
                                .notes.push_back(
                                    Diagnostic{Severity::note, r.origin.span, "referenced here", "chain-in-use", {}});
                            return;
                        }
            }
            for (auto& n : users) t.remove(n);
            return;
        }
        // iptables deletes only an empty chain, and nft deletes a chain with its rules: the kernel's
        // rules of the chain must be known to be none.
        const Chain* seen = t.find(c.chain);
        if (seen ? seen->unseen_kernel_rules : kernel_chain(t, c.chain) && !t.kernel_flushed) {
            unseen(c.chain_span, fmt::format("chain {} may hold rules in the kernel, which ipt2nft cannot see: "
                                             "iptables deletes it only if it is empty (flush it first)",
                                             c.chain));
            return;
        }
        if (kernel_chain(t, c.chain)) {  // emptied by -F: deleted there, unless still jumped to
            if (!referenced(t, c.chain, c)) t.kernel_edits.push_back({KernelEdit::Kind::delete_chain, c.chain});
            return;
        }
        Chain* ch = chain_for(t, c, options_.chains_exist);
        if (!ch) return;
        if (ch->builtin) {
            diags_.error(c.chain_span, fmt::format("built-in chain {} cannot be deleted", c.chain), "builtin-chain");
            return;
        }
        if (referenced(t, c.chain, c)) return;
        if (!ch->rules.empty()) {
            diags_.error(c.chain_span,
                         fmt::format("chain '{}' is not empty: flush it (-F) before deleting it", c.chain),
                         "chain-not-empty");
            return;
        }
        if (options_.adds_to_kernel && !ch->made_here)
            t.kernel_edits.push_back({KernelEdit::Kind::delete_chain, ch->name});
        t.remove(c.chain);
    }

    // Under --noflush, a user chain this view has not met: the kernel may hold it.
    bool kernel_chain(const Table& t, std::string_view chain) const {
        return options_.adds_to_kernel && !t.find(chain) && !find_builtin_chain(t.name, chain);
    }

    void rename(Table& t, const Command& c) {
        Chain* ch = t.find(c.chain);
        if (options_.adds_to_kernel && (ch ? !ch->made_here : !find_builtin_chain(t.name, c.chain))) {
            // Seen with nft 1.0.6: after `rename chain A B` a script that adds to B makes a second
            // chain B, and `add rule ... B` finds none; the new name is only known after the load.
            unseen(c.span, fmt::format("chain {} may be one the kernel holds, and nft cannot rename a chain and "
                                       "then use its new name in one script: translate without --noflush",
                                       c.chain));
            return;
        }
        ch = chain_for(t, c, options_.chains_exist);
        if (!ch) return;
        if (ch->builtin) {
            diags_.error(c.chain_span, fmt::format("built-in chain {} cannot be renamed", c.chain), "builtin-chain");
            return;
        }
        if (t.find(c.argument) || find_builtin_chain(t.name, c.argument)) {
            diags_.error(c.argument_span, fmt::format("chain '{}' already exists", c.argument), "chain-exists");
            return;
        }
        Command renamed = c;
        renamed.chain = c.argument;
        renamed.chain_span = c.argument_span;
        if (!valid_chain_name(renamed)) return;
        // The jump counts tell without looking at every rule whether other chains' rules jump to
        // this one; its own jumps to itself are not counted. A script renaming thousands of
        // chains no rule jumps to then costs the size of each, not of the table each time.
        if (lookups_->jumped_to(t, c.chain)) {
            for (auto& other : t.chains) other.retarget(c.chain, c.argument);
        } else {
            ch->retarget(c.chain, c.argument);
        }
        lookups_->renaming(t, c.chain, c.argument);
        t.rename(c.chain, c.argument);
    }
};

}  // namespace detail

CommandReplayer::CommandReplayer(Ruleset& ruleset, Diagnostics& diags, const ApplyOptions& options)
    : impl_(std::make_unique<detail::Replayer>(ruleset, diags, options)) {}
CommandReplayer::~CommandReplayer() = default;
bool CommandReplayer::apply(Command&& command) {
    return impl_->apply(std::move(command));
}
void CommandReplayer::set_noflush(bool noflush) {
    impl_->set_noflush(noflush);
}

}  // namespace ipt2nft
