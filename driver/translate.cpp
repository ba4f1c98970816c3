// The translate pipeline: each stage takes the previous stage's output and nothing else.
#include "driver/translate.hpp"

#include <fmt/format.h>

#include "backends/json/json_backend.hpp"
#include "backends/nft/inet_merge.hpp"
#include "backends/vm/print_netlink.hpp"
#include "grammar/command_line.hpp"
#include "grammar/extension.hpp"
#include "grammar/ipset.hpp"
#include "grammar/parse.hpp"
#include "grammar/programs.hpp"
#include "grammar/readers.hpp"
#include "ir/dynamic_sets.hpp"
#include "ir/meters.hpp"
#include "ir/netfilter_tables.hpp"
#include "ir/passes/checks.hpp"
#include "ir/passes/keep_payload_tests_apart.hpp"
#include "ir/passes/merge_address_lists.hpp"
#include "ir/passes/resolve_ipsets.hpp"
#include "ir/passes/resolve_netmap.hpp"
#include "ir/passes/split_rule_pairs.hpp"
#include "ir/print_ir.hpp"
#include "ir/replay/apply_commands.hpp"
#include "ir/target_names.hpp"
#include "sim/compiled_file.hpp"
#include "util/suggest.hpp"

namespace ipt2nft {

namespace {

// The family of a save file: -4 or -6, else what the file says. Where its header, its rules and
// its name (iptables-persistent's rules.v4 and rules.v6) disagree, the message names each: a name
// with rules of the other family is an error at the first of them, as iptables-restore of that
// file refuses the line; a header the rules contradict, or the name does, a warning.
Family family_of(const TranslateRequest& request, const SourceManager& sources, uint32_t file, Diagnostics& diags) {
    if (request.family) return *request.family;
    std::string_view text = sources.text(file), name = sources.name(file);
    grammar::FamilyEvidence said = grammar::family_evidence(text);
    std::optional<Family> named = name.ends_with(".v6")   ? std::optional(Family::ipv6)
                                  : name.ends_with(".v4") ? std::optional(Family::ipv4)
                                                          : std::nullopt;
    auto ip = [](Family f) { return f == Family::ipv6 ? "IPv6" : "IPv4"; };
    auto flag = [](Family f) { return f == Family::ipv6 ? "-6" : "-4"; };
    auto ending = [](Family f) { return f == Family::ipv6 ? "v6" : "v4"; };
    auto header = [&] {
        return said.header ? fmt::format(", its header says {} ({})", said.header_program, ip(*said.header)) : "";
    };
    Span header_span{file, static_cast<uint32_t>(said.header_at), static_cast<uint32_t>(said.header_at)};
    if (said.content && named && *said.content != *named) {
        size_t end = std::min(text.find_first_of(" \t\r\n", said.content_at), text.size());
        diags.error(Span{file, static_cast<uint32_t>(said.content_at), static_cast<uint32_t>(end)},
                    fmt::format("the file's name ends in .{}{}, but this rule is {}: {}tables-restore of it refuses "
                                "the line; give {} if the file is {}",
                                ending(*named), header(), ip(*said.content), *named == Family::ipv6 ? "ip6" : "ip",
                                flag(*said.content), ip(*said.content)),
                    "family-mismatch");
        return *said.content;
    }
    if (said.content && said.header && *said.content != *said.header) {
        diags.warning(
            header_span,
            fmt::format("the header says {} ({}), but the rules are {} (line {}): read as {}; give -4 or "
                        "-6 to say which",
                        said.header_program, ip(*said.header), ip(*said.content),
                        sources.line_col(file, static_cast<uint32_t>(said.content_at)).line, ip(*said.content)),
            "family-mismatch");
        return *said.content;
    }
    if (said.header && named && *said.header != *named)
        diags.warning(header_span,
                      fmt::format("the header says {} ({}), but the file's name ends in .{}: read as {}; give -4 or "
                                  "-6 to say which",
                                  said.header_program, ip(*said.header), ending(*named), ip(*said.header)),
                      "family-mismatch");
    if (said.header) return *said.header;
    if (said.content) return *said.content;
    if (named == Family::ipv6) {
        diags.note(Span{file, 0, 0}, "only the file's name tells the IP family: taken as IPv6 (use -4 for IPv4)",
                   "family-assumed");
        return Family::ipv6;
    }
    if (!named)
        diags.note(Span{file, 0, 0}, "nothing tells the IP family of this file: taken as IPv4 (use -6 for IPv6)",
                   "family-assumed");
    return Family::ipv4;
}

// -c takes the chains it names to exist: a name a typo away from a built-in chain or a target is
// likelier that typo (`-A INPTU`, `-j ACCPET`), and is said to be taken for a user chain.
void warn_near_misses(const Command& c, Diagnostics& diags) {
    auto taken = [&](Span at, std::string_view chain, const std::vector<std::string_view>& names) {
        if (auto near = closest(chain, names))
            diags.warning(at,
                          fmt::format("'{}' is taken for a user chain, as -c takes the chains it names to exist; did "
                                      "you mean '{}'?",
                                      chain, *near),
                          "chain-assumed");
    };
    bool adds_rule = c.kind == CommandKind::append || c.kind == CommandKind::insert;
    if (adds_rule && !find_builtin_chain(c.table, c.chain)) {
        std::vector<std::string_view> builtins;
        for (const auto& b : builtin_chains(c.table)) builtins.push_back(b.name);
        taken(c.chain_span, c.chain, builtins);
    }
    if (!c.rule) return;
    for (const auto& s : c.rule->statements)
        if (const Verdict* v = chain_jump(s)) taken(c.rule->origin.target_span, v->chain, iptables_target_names());
}

// JSON, the kernel's programs or the IR: written alike for a file and for one command.
void print_other_format(TranslateRequest::Format format, const Ruleset& ruleset, const nft::ScriptOptions& script,
                        const SourceManager& sources, std::ostream& out) {
    if (format == TranslateRequest::Format::json)
        json::print_json(ruleset, script, out);
    else if (format == TranslateRequest::Format::netlink)
        vm::print_netlink(ruleset, script.counters,
                          script.inet ? nft::inet_tables(ruleset, script) : std::vector<InetTable>{}, out);
    else
        print_ir(ruleset, sources, out);
}

// The status `iptables -L CHAIN` or `-S CHAIN` gives, where the call is one: whether the chain is
// there (a built-in one always is); nullopt for any other call.
std::optional<int> listing_status(const RecordedCall& call, const Ruleset& ruleset) {
    const auto& words = call.arguments;
    std::string_view table = "filter", chain;
    for (size_t i = 0; i + 1 < words.size(); ++i) {
        if (words[i] == "-t" || words[i] == "--table") table = words[i + 1];
        bool listing = words[i] == "-L" || words[i] == "--list" || words[i] == "-S" || words[i] == "--list-rules";
        if (listing && !words[i + 1].starts_with('-')) chain = words[i + 1];
    }
    if (chain.empty() || call.program.find("tables") == std::string::npos) return std::nullopt;
    Family family = call.program.starts_with("ip6") ? Family::ipv6 : Family::ipv4;
    const Table* t = ruleset.find(family, table);
    return find_builtin_chain(table, chain) || (t && t->find(chain)) ? 0 : 1;
}

// --run: the script run in the sandbox, each call replayed as the script makes it and answered
// with the status iptables would give (a failure told as the replay tells it), so that the script
// goes on as it would with iptables.
void run_script(uint32_t script, const TranslateRequest& request, TranslateResult& result,
                const grammar::CommandSink& sink) {
    std::string name = result.sources.name(script);
    auto answer = [&](RecordedCall&& call) {
        if (auto status = listing_status(call, result.ruleset)) return *status;
        // A check alone is skipped by the replay: behind `|| true` its answer is the replay's.
        bool check = std::any_of(call.arguments.begin(), call.arguments.end(),
                                 [](const std::string& w) { return w == "-C" || w == "--check"; });
        if (check) call.text.insert(call.text.find('\n'), " || true");
        uint32_t file = result.sources.add(name, std::move(call.text), std::move(call.origins));
        // The reader's word on this one call; the replay's goes straight to the result.
        Diagnostics read{SIZE_MAX};
        bool ok = true;
        grammar::read_script(result.sources, file, request.family, read, [&](Command&& c) {
            bool done = sink(std::move(c));
            ok = ok && done;
            return done;
        });
        // A call of another program (sysctl) is a file without iptables: the run as a whole is not.
        const auto& said = read.all();
        bool refused = false;
        for (size_t i = 0; i < said.size(); ++i) {
            if (said[i].code == "no-ruleset") continue;
            refused = refused || said[i].severity == Severity::error || said[i].code == "allowed-failure";
            read.transfer(i, i + 1, result.diags);
        }
        return ok && !refused ? 0 : 1;
    };
    std::string error;
    if (!run_recorded_script(name, std::string(result.sources.text(script)), *request.run, result.sources, answer,
                             error))
        result.diags.error(Span{script, 0, 0}, error, "script-run");
}

// --external-set: the sets read as the `ipset create` lines they are, from a source of their own
// (which diagnostics name), and marked as the kernel's.
void read_external_ipsets(const TranslateRequest& request, TranslateResult& result, const grammar::CommandSink& sink) {
    if (request.external_ipsets.empty()) return;
    std::string text;
    for (const auto& set : request.external_ipsets) text += "create " + set + "\n";
    uint32_t file = result.sources.add("--external-set", std::move(text));
    grammar::read_ipset_save(result.sources, file, result.diags, sink);
    for (auto& set : result.ruleset.ipsets)
        if (set->declared.file == file) set->external = true;
}

// The rules as the kernel is to hold them: each one kernel rule, with no tests nft would merge
// into something they do not mean.
void make_kernel_rules(Ruleset& ruleset) {
    split_rule_pairs(ruleset);
    keep_payload_tests_apart(ruleset);
}

}  // namespace

size_t build_ruleset(TranslateRequest& request, TranslateResult& result) {
    Ruleset& ruleset = result.ruleset;
    // With --noflush the kernel's tables are added to: a chain not declared here may exist there.
    CommandReplayer replayer(ruleset, result.diags,
                             ApplyOptions{request.script.noflush, request.script.noflush, request.script.noflush});
    size_t kernel_rules = 0;  // built from the input so far; rules deleted again still count
    auto sink = [&](Command&& c) {
        size_t adds = 0;
        c.each_rule([&](const Rule&) { ++adds; });
        if (adds > 0 && kernel_rules + adds > request.most_kernel_rules) {
            result.diags.error(c.span,
                               fmt::format("this command would make {} kernel rule{} after {} made before it: ipt2nft "
                                           "builds at most {} from one input, holding each in memory (an ipset, or "
                                           "fewer addresses per rule, keeps a ruleset small)",
                                           adds, adds == 1 ? "" : "s", kernel_rules, request.most_kernel_rules),
                               "too-many-rules");
            return true;
        }
        kernel_rules += adds;
        return replayer.apply(std::move(c));
    };
    read_external_ipsets(request, result, sink);
    for (auto& input : request.inputs) {
        // Several files are one ruleset, as consecutive `iptables-restore --noflush` runs.
        replayer.set_noflush(request.script.noflush || &input != &request.inputs.front());
        // Editors on Windows write a byte order mark, which iptables-restore fails on; an editor
        // shows none, so the columns count from after it.
        bool byte_order_mark = input.text.starts_with("\xEF\xBB\xBF");
        if (byte_order_mark) input.text.erase(0, 3);
        uint32_t file = result.sources.add(std::move(input.name), std::move(input.text));
        std::string_view text = result.sources.text(file);
        if (byte_order_mark)
            result.diags.warning(Span{file, 0, 0},
                                 "the file starts with a UTF-8 byte order mark, which iptables-restore refuses: read "
                                 "as if it were not there",
                                 "byte-order-mark");
        if (grammar::reject_binary_file(text, file, result.diags)) continue;
        if (request.run && grammar::detect_format(text) == grammar::InputFormat::script) {
            run_script(file, request, result, sink);
            continue;
        }
        if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
            // Often a failed command before a pipe (`iptables-save | ipt2nft translate -`).
            result.diags.warning(Span{file, 0, 0}, "the input is empty: it adds nothing to the ruleset", "empty-input");
            continue;
        }
        if (grammar::detect_format(text) == grammar::InputFormat::ipset_save) {
            grammar::read_ipset_save(result.sources, file, result.diags, sink);
        } else if (grammar::detect_format(text) == grammar::InputFormat::save) {
            if (size_t crlf = text.find("\r\n"); crlf != std::string_view::npos)
                result.diags.warning(Span{file, static_cast<uint32_t>(crlf), static_cast<uint32_t>(crlf + 1)},
                                     "this file has CRLF line endings, which iptables-restore refuses: read as if "
                                     "they were LF",
                                     "crlf-save-file");
            grammar::read_save_file(result.sources, file, family_of(request, result.sources, file, result.diags),
                                    result.diags, sink);
        } else {
            grammar::read_script(result.sources, file, request.family, result.diags, sink);
        }
    }
    // Before the checks, so that a problem of an address list's rule is told once, as written.
    merge_address_lists(ruleset);
    resolve_dynamic_sets(ruleset, result.sources.derived(), result.diags);
    grammar::read_used_ipset_elements(ruleset, result.diags);
    resolve_ipsets(ruleset, result.sources.derived(), result.diags);
    resolve_meters(ruleset, result.diags);
    resolve_netmap(ruleset, result.diags);
    return run_checks(ruleset, CheckOptions{request.script.allow_untranslated, request.script.noflush}, result.diags);
}

namespace {

// --inet: each ip table with an ip6 table of its name is merged unless something stops it, which
// is said; so is an input with no such pair.
void warn_tables_kept_apart(const Ruleset& ruleset, Diagnostics& diags) {
    bool paired = false;
    for (const auto& t : ruleset.tables) {
        if (t.family != Family::ipv4) continue;
        for (const auto& p : ruleset.tables) {
            if (p.family != Family::ipv6 || p.name != t.name) continue;
            paired = true;
            if (auto why = nft::inet_obstacle(t, p))
                diags.warning(t.declared,
                              fmt::format("--inet: the ip and ip6 tables {} stay two tables: {}", t.name, *why),
                              "inet-apart");
        }
    }
    if (!paired && !ruleset.tables.empty())
        diags.warning(ruleset.tables.front().declared,
                      "--inet: no table has the same name in both families (give the IPv4 and the IPv6 rules): "
                      "nothing is merged",
                      "inet-apart");
}

}  // namespace

bool kernel_ruleset(TranslateRequest& input, TranslateResult& result) {
    input.script.allow_untranslated = false;
    build_ruleset(input, result);
    if (result.diags.has_errors()) return false;
    if (input.script.inet) warn_tables_kept_apart(result.ruleset, result.diags);
    make_kernel_rules(result.ruleset);
    return true;
}

TranslateResult translate(TranslateRequest request, std::ostream& out) {
    TranslateResult result;
    if (request.format == TranslateRequest::Format::sim) {
        if (!kernel_ruleset(request, result)) return result;
        sim::write_compiled_file(sim::compile(result.ruleset), result.sources, out);
        result.ok = true;
        return result;
    }
    size_t untranslatable = build_ruleset(request, result);
    Ruleset& ruleset = result.ruleset;
    nft::rename_chains(ruleset, request.chain_renames, request.script.noflush, result.sources.derived(), result.diags);
    nft::rename_sets(ruleset, result.sources.derived(), result.diags);
    nft::check_writable(ruleset, result.diags);
    if (request.format == TranslateRequest::Format::json) json::check_encodable(ruleset, result.diags);
    if (request.script.inet) warn_tables_kept_apart(ruleset, result.diags);
    if (result.diags.has_errors()) return result;
    make_kernel_rules(ruleset);
    if (request.format == TranslateRequest::Format::nft)
        nft::print_script(ruleset, request.script, out);
    else
        print_other_format(request.format, ruleset, request.script, result.sources, out);
    result.ok = true;
    result.untranslated = untranslatable;
    return result;
}

TranslateResult translate_command(const std::string& command, std::optional<Family> family,
                                  const nft::ScriptOptions& script, TranslateRequest::Format format,
                                  std::ostream& out) {
    TranslateResult result;
    // iptables-translate takes the arguments alone; so does -c, as those of iptables (ip6tables
    // with -6).
    size_t first = command.find_first_not_of(" \t");
    bool arguments_only = first != std::string::npos && command[first] == '-';
    std::string program = family == Family::ipv6 ? "ip6tables " : "iptables ";
    // A command copied from iptables-translate's own use: its arguments are iptables's.
    std::string_view head = first == std::string::npos ? "" : std::string_view(command).substr(first);
    head = head.substr(0, head.find_first_of(" \t"));
    std::string_view name = grammar::program_name(head);
    std::string written = arguments_only ? program + command : command;
    if (name == "iptables-translate" || name == "ip6tables-translate") {
        if (!family) program = name == "ip6tables-translate" ? "ip6tables " : "iptables ";
        std::string_view rest = std::string_view(command).substr(first + head.size());
        written = program + std::string(rest.substr(std::min(rest.find_first_not_of(" \t"), rest.size())));
    }
    uint32_t file = result.sources.add("<command>", std::move(written));
    std::string_view text = result.sources.text(file);
    std::vector<Command> commands;
    grammar::read_script(result.sources, file, family, result.diags, [&](Command&& c) {
        bool answers_no = c.kind == CommandKind::check;  // so that a command after `||` shows
        commands.push_back(std::move(c));
        return !answers_no;
    });
    if (result.diags.has_errors()) return result;
    if (commands.size() != 1) {
        result.diags.error(Span{file, 0, static_cast<uint32_t>(text.size())},
                           commands.empty() ? "this command does not change the ruleset: -c has nothing to translate"
                                            : "-c takes exactly one iptables command",
                           "usage");
        return result;
    }
    const Command c = commands.front();
    if (c.kind == CommandKind::check) {
        result.diags.error(c.span, "-C only tests whether a rule is there: -c has nothing to translate", "usage");
        return result;
    }
    // nft deletes and replaces a rule by its handle, which a command alone does not tell; it
    // adds a rule after a position (`index`, from 0), which the command does tell.
    if (c.kind == CommandKind::delete_number || c.kind == CommandKind::replace) {
        result.diags.error(c.number_span,
                           "-c cannot translate a rule number for -D or -R: nft deletes and replaces rules by "
                           "handle, which only the live ruleset knows",
                           "usage");
        return result;
    }
    if (c.kind == CommandKind::delete_spec) {
        result.diags.error(c.span,
                           fmt::format("-c cannot translate -D: nft deletes a rule by its handle, which only the live "
                                       "ruleset knows (`nft -a list chain {} {} {}` shows it)",
                                       family_name(c.family), c.table, c.chain),
                           "usage");
        return result;
    }
    if (c.kind == CommandKind::delete_chain && c.chain.empty()) {
        result.diags.error(c.span, "-X without a chain deletes every user chain: nft has no one command for that",
                           "usage");
        return result;
    }
    commands.front().number.reset();  // the position is in the kernel's chain, not in this empty one
    Ruleset ruleset;
    // `|| true` lets the command fail, and then it changes nothing (the warning before says why).
    if (!CommandReplayer(ruleset, result.diags, ApplyOptions{false, true}).apply(std::move(commands.front()))) {
        result.diags.error(c.span, "this command fails, so it changes nothing: -c has nothing to translate", "usage");
        return result;
    }
    warn_near_misses(c, result.diags);
    merge_address_lists(ruleset);
    resolve_dynamic_sets(ruleset, result.sources.derived(), result.diags);
    resolve_ipsets(ruleset, result.sources.derived(), result.diags);
    resolve_meters(ruleset, result.diags);
    resolve_netmap(ruleset, result.diags);
    size_t untranslatable = 0;
    for (const auto& table : ruleset.tables) {
        untranslatable += check_translatable(table, script.allow_untranslated, result.diags);
        // A built-in chain's hook is known even alone: the kernel refuses there what it refuses in
        // a file (MASQUERADE in PREROUTING, -o in INPUT), and so would nft.
        check_hooks(table, ChainGraph(table), result.diags);
    }
    nft::check_writable(ruleset, result.diags);
    if (result.diags.has_errors()) return result;
    make_kernel_rules(ruleset);
    if (format == TranslateRequest::Format::nft) {
        auto lines = nft::command_lines(c, ruleset, script, result.diags);
        if (!lines) return result;
        out << *lines;
    } else {
        print_other_format(format, ruleset, script, result.sources, out);
    }
    result.ok = true;
    result.untranslated = untranslatable ? 1 : 0;  // one command, however many rules it makes
    return result;
}

}  // namespace ipt2nft
