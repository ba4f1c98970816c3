// The compiled ruleset file: tables, chains and programs as JSON, each place as a source line kept
// in the file, read back with every check that keeps the simulator inside what the kernel runs.
#include "sim/compiled_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "ir/netfilter_tables.hpp"
#include "sim/program_json.hpp"
#include "util/streamed_json.hpp"

namespace ipt2nft::sim {

namespace {

using nlohmann::json;
using written = nlohmann::ordered_json;

// Rule text and comments are the input's bytes, which need not be UTF-8: such bytes are replaced.
std::string dump(const written& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

struct BadFile : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The source lines places point into, each written once: a place is [excerpt, offset, length].
class Excerpts {
public:
    explicit Excerpts(const SourceManager& sources) : sources_(sources) {}

    written place(Span s) {
        if (!s.valid()) return nullptr;
        std::string_view text = sources_.text(s.file);
        uint32_t start = s.begin - (sources_.line_col(s.file, s.begin).col - 1);
        size_t newline = text.find('\n', s.end > s.begin ? s.end - 1 : s.begin);
        uint32_t end = std::max(static_cast<uint32_t>(std::min(newline, text.size())), s.end);
        auto [it, fresh] = index_.try_emplace({s.file, start}, excerpts_.size());
        if (fresh)
            excerpts_.push_back({s.file, start, end});
        else
            excerpts_[it->second].end = std::max(excerpts_[it->second].end, end);
        return written::array({it->second, s.begin - start, s.end - s.begin});
    }

    written list() const {
        written out = written::array();
        for (const auto& e : excerpts_)
            out.push_back({{"file", sources_.name(e.file, e.start)},
                           {"line", sources_.line_col(e.file, e.start).line},
                           {"text", sources_.text(e.file).substr(e.start, e.end - e.start)}});
        return out;
    }

private:
    struct Excerpt {
        uint32_t file, start, end;
    };
    const SourceManager& sources_;
    std::map<std::pair<uint32_t, uint32_t>, size_t> index_;  // (file, line start) → excerpt
    std::vector<Excerpt> excerpts_;
};

written chain_json(const CompiledChain& chain, Excerpts& excerpts) {
    written j{{"name", chain.name}, {"base", chain.base != nullptr}};
    if (chain.policy) j["policy"] = *chain.policy == VerdictKind::drop ? "drop" : "accept";
    j["policy_at"] = excerpts.place(chain.policy_span);
    j["declared"] = excerpts.place(chain.declared);
    written& rules = j["rules"] = written::array();
    for (const auto& rule : chain.rules) {
        written r{{"at", excerpts.place(rule.span)}};
        if (rule.comment) r["comment"] = *rule.comment;
        r["program"] = program_json(rule.program);
        rules.push_back(std::move(r));
    }
    return j;
}

const json& member(const json& j, const char* name) {
    auto it = j.is_object() ? j.find(name) : j.end();
    if (it == j.end()) throw BadFile(fmt::format("'{}' is missing", name));
    return *it;
}
const json& array_member(const json& j, const char* name) {
    const json& a = member(j, name);
    if (!a.is_array()) throw BadFile(fmt::format("'{}' must be an array", name));
    return a;
}
std::string_view string_member(const json& j, const char* name) {
    const json& s = member(j, name);
    if (!s.is_string() || s.get_ref<const std::string&>().empty())
        throw BadFile(fmt::format("'{}' must be a string, not empty", name));
    return s.get_ref<const std::string&>();
}

// Reads one file, saying where it is when something is wrong. Rules and sources are taken from
// the text one at a time (a large ruleset is hundreds of thousands); places are read as [source,
// offset, length] and made spans of the sources' text once all of it is read, as the members of
// an object may come in any order.
class Reader {
public:
    Reader(uint32_t file, SourceManager& sources) : file_(file), sources_(sources) {}

    CompiledRuleset read(std::string_view text) {
        auto on_rule = [this](const std::vector<size_t>& at, json& rule, const json& document) {
            read_rule(at[0], at[1], at[2], rule, document);
        };
        auto on_source = [this](const std::vector<size_t>&, json& source, const json&) { read_source(source); };
        json document = read_streamed_json(
            text, {{{"tables", "*", "chains", "*", "rules", "*"}, on_rule}, {{"sources", "*"}, on_source}});
        where_.clear();
        check_format(document);
        recorded_ = sources_.add(sources_.name(file_), std::move(text_), std::move(origins_));
        CompiledRuleset ruleset;
        const json& tables = array_member(document, "tables");
        for (size_t t = 0; t < tables.size(); ++t) ruleset.tables.push_back(read_table(t, tables[t]));
        where_.clear();
        index_ruleset(ruleset);
        return ruleset;
    }
    const std::string& where() const { return where_; }

private:
    static void check_format(const json& j) {
        auto format = j.find("format");
        if (format == j.end() || !format->is_string() || format->get_ref<const std::string&>() != compiled_format)
            throw BadFile(fmt::format("this is no compiled ruleset: 'format' is not \"{}\"", compiled_format));
        auto version = j.find("version");
        if (version == j.end() || !version->is_number_unsigned() || *version != compiled_version)
            throw BadFile(
                fmt::format("this compiled ruleset is of version {}, and this ipt2nft reads version {}: "
                            "compile the rules again with `ipt2nft translate --format=sim`",
                            version == j.end() ? "(none)" : version->dump(), compiled_version));
    }

    // Where the item being read is, from what the document holds so far.
    static std::string named(const json& j, std::string_view what, size_t position) {
        auto name = j.is_object() ? j.find("name") : j.end();
        return name != j.end() && name->is_string() ? fmt::format("{} {}", what, name->get<std::string>())
                                                    : fmt::format("{} #{}", what, position + 1);
    }

    // Where a mistake is, said only when there is one: a large file has hundreds of thousands of
    // rules, each read with no words made.
    void read_rule(size_t t, size_t c, size_t r, json& j, const json& document) {
        try {
            // A file of another version may hold rules of another shape: it is told so, not misread.
            if (!format_checked_ && document.contains("version")) check_format(document), format_checked_ = true;
            if (rules_.size() <= t) rules_.resize(t + 1);
            if (rules_[t].size() <= c) rules_[t].resize(c + 1);
            CompiledRule& rule = rules_[t][c].emplace_back(CompiledRule{{}, raw_place(j, "at"), std::nullopt});
            if (auto comment = j.find("comment"); comment != j.end()) {
                if (!comment->is_string()) throw BadFile("'comment' must be a string");
                rule.comment = sources_.derived().keep(comment->get_ref<const std::string&>());
            }
            rule.program = read_program(member(j, "program"), sources_.derived());
        } catch (const std::exception&) {
            const json& table = document["tables"][t];
            const json* chain = table.contains("chains") ? &table["chains"][c] : nullptr;
            auto family = table.find("family");
            std::string what = family != table.end() && family->is_string() ? "table " + family->get<std::string>()
                                                                            : std::string("table");
            where_ = fmt::format("{}, {}, rule {}", named(table, what, t),
                                 chain ? named(*chain, "chain", c) : fmt::format("chain #{}", c + 1), r + 1);
            throw;
        }
    }

    // An excerpt, appended to a text of their own whose lines read as the lines they were in
    // their files.
    void read_source(const json& e) {
        const json* line = e.is_object() ? &member(e, "line") : nullptr;
        const json* excerpt = line ? &member(e, "text") : nullptr;
        if (!line || !line->is_number_unsigned() || line->get<uint64_t>() == 0 || line->get<uint64_t>() > UINT32_MAX ||
            !excerpt->is_string() || !e.contains("file") || !e["file"].is_string()) {
            where_ = fmt::format("source {}", starts_.size() + 1);
            throw BadFile("a source needs its 'file', its 'line' (from 1) and its 'text'");
        }
        std::string_view name = sources_.derived().keep(e["file"].get_ref<const std::string&>());
        const auto& body = excerpt->get_ref<const std::string&>();
        starts_.push_back(static_cast<uint32_t>(text_.size()));
        lengths_.push_back(static_cast<uint32_t>(body.size()));
        text_ += body;
        text_ += '\n';
        auto first = static_cast<uint32_t>(line->get<uint64_t>());
        auto lines = static_cast<uint32_t>(std::count(body.begin(), body.end(), '\n')) + 1;
        for (uint32_t k = 0; k < lines; ++k) origins_.push_back({name, first + k});
    }

    // [source, offset, length] as a span whose file is the source's number from 1, until
    // `resolve` makes it one of the sources' text.
    static Span raw_place(const json& j, const char* name) {
        auto it = j.find(name);
        if (it == j.end() || it->is_null()) return {};
        const json& p = *it;
        bool ok = p.is_array() && p.size() == 3 && std::all_of(p.begin(), p.end(), [](const json& n) {
                      return n.is_number_unsigned() && n.get<uint64_t>() < UINT32_MAX / 2;
                  });
        if (!ok) throw BadFile(fmt::format("'{}' must be [source, offset, length]", name));
        auto offset = p[1].get<uint32_t>();
        return Span{p[0].get<uint32_t>() + 1, offset, offset + p[2].get<uint32_t>()};
    }

    Span resolve(Span raw) const {
        if (!raw.valid()) return raw;
        size_t source = raw.file - 1;
        if (source >= starts_.size() || raw.end > lengths_[source])
            throw BadFile(fmt::format("a place [{}, {}, {}] is not within one of the sources", source, raw.begin,
                                      raw.end - raw.begin));
        return Span{recorded_, starts_[source] + raw.begin, starts_[source] + raw.end};
    }

    CompiledTable read_table(size_t t, const json& j) {
        std::string_view family = string_member(j, "family");
        std::string_view name = string_member(j, "name");
        where_ = fmt::format("table {} {}", family, name);
        if (family != "ip" && family != "ip6") throw BadFile("'family' must be \"ip\" or \"ip6\"");
        const auto& names = table_names();
        if (std::find(names.begin(), names.end(), name) == names.end())
            throw BadFile("iptables has no table of this name");
        CompiledTable table{family == "ip" ? Family::ipv4 : Family::ipv6, sources_.derived().keep(name), {}, {}, {}};
        if (auto sets = j.find("sets"); sets != j.end()) {
            if (!sets->is_array()) throw BadFile("'sets' must be an array");
            for (const auto& s : *sets) table.sets.push_back(read_named_set(s, sources_.derived()));
        }
        const json& chains = array_member(j, "chains");
        for (size_t c = 0; c < chains.size(); ++c) {
            auto& rules = t < rules_.size() && c < rules_[t].size() ? rules_[t][c] : no_rules_;
            table.chains.push_back(read_chain(chains[c], c, table, std::move(rules)));
            if (!table.index.emplace(table.chains.back().name, table.chains.size() - 1).second)
                throw BadFile(fmt::format("chain {} is there twice", table.chains.back().name));
        }
        where_ = fmt::format("table {} {}", family, name);
        for (const auto& chain : table.chains)
            for (const auto& rule : chain.rules) check_named_set_uses(rule.program, table.sets);
        check_jumps(table);
        return table;
    }

    CompiledChain read_chain(const json& c, size_t position, const CompiledTable& table,
                             std::vector<CompiledRule> rules) {
        std::optional<size_t> rule;  // the rule whose place is being read, after the chain's own
        try {
            std::string_view name = sources_.derived().keep(string_member(c, "name"));
            const json& base = member(c, "base");
            if (!base.is_boolean()) throw BadFile("'base' must be true or false");
            array_member(c, "rules");
            CompiledChain chain{name,
                                std::move(rules),
                                {},
                                {},
                                nullptr,
                                std::nullopt,
                                resolve(raw_place(c, "policy_at")),
                                resolve(raw_place(c, "declared"))};
            if (base.get<bool>() && !(chain.base = find_builtin_chain(table.name, name)))
                throw BadFile(fmt::format("the {} table has no base chain of this name", table.name));
            if (auto policy = c.find("policy"); policy != c.end()) {
                if (!chain.base || (*policy != "accept" && *policy != "drop"))
                    throw BadFile("only a base chain has a 'policy', \"accept\" or \"drop\"");
                chain.policy = *policy == "drop" ? VerdictKind::drop : VerdictKind::accept;
            }
            for (rule = 0; *rule < chain.rules.size(); ++*rule)
                chain.rules[*rule].span = resolve(chain.rules[*rule].span);
            return chain;
        } catch (const std::exception&) {
            where_ = fmt::format("table {} {}, {}{}", family_name(table.family), table.name,
                                 named(c, "chain", position), rule ? fmt::format(", rule {}", *rule + 1) : "");
            throw;
        }
    }

    // As the kernel refuses them: a jump to no chain, to a base chain, or one that comes back
    // to where it started. The simulator trusts the chain graph to be a tree of calls.
    static void check_jumps(const CompiledTable& table) {
        std::vector<std::vector<size_t>> calls(table.chains.size());
        for (size_t c = 0; c < table.chains.size(); ++c)
            for (const auto& rule : table.chains[c].rules)
                for (const auto& e : rule.program.expressions) {
                    const auto* v = std::get_if<vm::ImmediateVerdict>(&e);
                    if (!v || v->chain.empty()) continue;
                    auto target = table.index.find(v->chain);
                    if (target == table.index.end() || table.chains[target->second].base)
                        throw BadFile(fmt::format("chain {} jumps to {}, which is no user chain of the table",
                                                  table.chains[c].name, v->chain));
                    calls[c].push_back(target->second);
                }
        enum class Mark : uint8_t { unseen, open, done };
        std::vector<Mark> marks(calls.size(), Mark::unseen);
        auto visit = [&](auto& self, size_t c) -> void {
            marks[c] = Mark::open;
            for (size_t next : calls[c]) {
                if (marks[next] == Mark::open)
                    throw BadFile(fmt::format("the jumps from chain {} come back to it: a loop the kernel refuses",
                                              table.chains[next].name));
                if (marks[next] == Mark::unseen) self(self, next);
            }
            marks[c] = Mark::done;
        };
        for (size_t c = 0; c < calls.size(); ++c)
            if (marks[c] == Mark::unseen) visit(visit, c);
    }

    uint32_t file_, recorded_ = 0;
    SourceManager& sources_;
    std::string text_;  // the sources' excerpts, one after another
    std::vector<LineOrigin> origins_;
    std::vector<uint32_t> starts_, lengths_;                     // per excerpt, in that text
    std::vector<std::vector<std::vector<CompiledRule>>> rules_;  // [table][chain], as read
    std::vector<CompiledRule> no_rules_;
    std::string where_;
    bool format_checked_ = false;
};

}  // namespace

bool is_compiled_file(std::string_view text) {
    size_t open = text.find_first_not_of(" \t\r\n");
    if (open == std::string_view::npos || text[open] != '{') return false;
    size_t key = text.find_first_not_of(" \t\r\n", open + 1);
    return key != std::string_view::npos && text.substr(key).starts_with("\"format\"");
}

void write_compiled_file(const CompiledRuleset& ruleset, const SourceManager& sources, std::ostream& out) {
    Excerpts excerpts(sources);
    out << "{\"format\":" << written(compiled_format) << ",\"version\":" << compiled_version << ",\"tables\":[";
    for (size_t t = 0; t < ruleset.tables.size(); ++t) {
        const CompiledTable& table = ruleset.tables[t];
        out << (t ? ",\n" : "\n") << "{\"family\":" << written(family_name(table.family))
            << ",\"name\":" << written(table.name);
        if (!table.sets.empty()) {
            written sets = written::array();
            for (const auto& set : table.sets) sets.push_back(named_set_json(set));
            out << ",\"sets\":" << dump(sets);
        }
        out << ",\"chains\":[";
        for (size_t c = 0; c < table.chains.size(); ++c)
            out << (c ? ",\n" : "\n") << dump(chain_json(table.chains[c], excerpts));
        out << "]}";
    }
    out << "],\n\"sources\":" << dump(excerpts.list()) << "}\n";
}

std::optional<CompiledRuleset> read_compiled_file(uint32_t file, SourceManager& sources, Diagnostics& diags) {
    Reader reader(file, sources);
    try {
        return reader.read(sources.text(file));
    } catch (const json::parse_error& e) {
        auto at = static_cast<uint32_t>(std::min<size_t>(e.byte ? e.byte - 1 : 0, sources.text(file).size()));
        diags.error(Span{file, at, at}, fmt::format("not a JSON compiled ruleset: {}", e.what()),
                    "bad-compiled-ruleset");
    } catch (const std::exception& e) {
        std::string where = reader.where().empty() ? "" : reader.where() + ": ";
        diags.error(Span{file, 0, 0}, fmt::format("{}{}", where, e.what()), "bad-compiled-ruleset");
    }
    return std::nullopt;
}

}  // namespace ipt2nft::sim
