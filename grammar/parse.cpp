// The only translation unit that instantiates pegtl::parse: template cost stays here.
#include "grammar/parse.hpp"

#include <tao/pegtl.hpp>

#include "grammar/actions.hpp"
#include "grammar/errors.hpp"

namespace ipt2nft::grammar {

namespace pegtl = tao::pegtl;

void WordBuilder::finish(Span s) {
    if (splittable.empty()) {
        words.push_back(Word{std::move(text), s, quoted, false});
    } else {
        // Field splitting of unquoted expansions, as the shell does it.
        auto is_split = [&](size_t i) {
            for (auto [b, e] : splittable)
                if (i >= b && i < e) return text[i] == ' ' || text[i] == '\t' || text[i] == '\n';
            return false;
        };
        std::string piece;
        bool any = false;
        for (size_t i = 0; i < text.size(); ++i) {
            if (is_split(i)) {
                if (any) words.push_back(Word{std::move(piece), s, quoted, false});
                piece.clear();
                any = false;
            } else {
                piece += text[i];
                any = true;
            }
        }
        if (any || quoted) words.push_back(Word{std::move(piece), s, quoted, false});
    }
    text.clear();
    quoted = false;
    splittable.clear();
}

void ShellState::expand(std::string_view name, Span where, bool in_quotes) {
    auto it = variables->find(std::string(name));
    if (it == variables->end()) {
        diags->error(where, "variable '" + std::string(name) + "' is not set in this script", "unset-variable");
        failed = true;
        return;
    }
    size_t begin = text.size();
    text += it->second;
    if (!in_quotes) splittable.emplace_back(begin, text.size());
}

template <typename Grammar, template <typename> class Action, typename State>
static bool run(std::string_view line, State& state, Diagnostics& diags) {
    pegtl::memory_input<pegtl::tracking_mode::lazy> in(line.data(), line.data() + line.size(), "");
    try {
        return pegtl::parse<Grammar, Action, pegtl::must_if<errors, pegtl::normal, false>::control>(in, state);
    } catch (const pegtl::parse_error& e) {
        const auto& pos = e.positions().front();
        auto at = static_cast<uint32_t>(pos.byte);
        diags.error(Span{state.file, state.offset + at, state.offset + at + 1}, std::string(e.message()), "syntax");
        return false;
    }
}

bool parse_save_line(std::string_view line, uint32_t file, uint32_t offset, SaveLine& out, Diagnostics& diags) {
    SaveState state;
    state.base = line.data();
    state.file = file;
    state.offset = offset;
    state.line = &out;
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
        out.kind = SaveLine::Kind::empty;
        return true;
    }
    bool ok = false;
    switch (line[first]) {
        case '#': out.kind = SaveLine::Kind::comment; return true;
        case '*':
            out.kind = SaveLine::Kind::table;
            ok = run<rules::save::table_line, save_action>(line, state, diags);
            break;
        case ':':
            out.kind = SaveLine::Kind::chain;
            ok = run<rules::save::chain_line, save_action>(line, state, diags);
            break;
        default:
            if (line.substr(first, 6) == "COMMIT") {
                out.kind = SaveLine::Kind::commit;
                ok = run<rules::save::commit_line, save_action>(line, state, diags);
            } else {
                out.kind = SaveLine::Kind::rule;
                ok = run<rules::save::rule_line, save_action>(line, state, diags);
            }
    }
    out.words = std::move(state.words);
    return ok;
}

bool parse_shell_line(std::string_view line, uint32_t file, uint32_t offset, const Variables& variables, Words& out,
                      Diagnostics& diags) {
    ShellState state;
    state.base = line.data();
    state.file = file;
    state.offset = offset;
    state.variables = &variables;
    state.diags = &diags;
    bool ok = run<rules::shell::line, shell_action>(line, state, diags);
    out = std::move(state.words);
    return ok && !state.failed;
}

}  // namespace ipt2nft::grammar
