// Diagnostics: file:line:col: severity: message [code], the source line, a caret under the span.
#include "ir/diagnostics.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>

#include "util/display_width.hpp"

namespace ipt2nft {

Diagnostic& Diagnostics::push(Diagnostic d) {
    // The same words at the same place again (the kernel rules of one address list share their
    // line) tell nothing new; notes the caller attaches go with the throwaway copy.
    if (!list_.empty()) {
        const Diagnostic& last = list_.back();
        if (last.span.file == d.span.file && last.span.begin == d.span.begin && last.span.end == d.span.end &&
            last.severity == d.severity && last.code == d.code && last.message == d.message) {
            overflow_ = std::move(d);
            return overflow_;
        }
    }
    if (d.severity == Severity::error) ++errors_;
    if (list_.size() >= cap_) {
        ++dropped_;
        overflow_ = std::move(d);
        return overflow_;
    }
    list_.push_back(std::move(d));
    return list_.back();
}

void Diagnostics::transfer(size_t begin, size_t end, Diagnostics& to) {
    for (size_t i = begin; i < end; ++i) to.push(std::move(list_[i]));
}

bool Diagnostics::transfer_allowed_failure(Span at, Diagnostics& to, std::string_view why) {
    auto first_error =
        std::find_if(list_.begin(), list_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
    if (first_error == list_.end()) {
        transfer(0, list_.size(), to);
        return false;
    }
    Diagnostic failure{Severity::warning,
                       at,
                       fmt::format("this command fails, and {}: it changes nothing", why),
                       "allowed-failure",
                       {}};
    for (Diagnostic& d : list_) {
        if (d.severity != Severity::error) {
            to.push(std::move(d));
            continue;
        }
        d.severity = Severity::note;
        failure.notes.push_back(std::move(d));
    }
    to.push(std::move(failure));
    return true;
}

Diagnostic& Diagnostics::error(Span span, std::string message, std::string code) {
    return push({Severity::error, span, std::move(message), std::move(code), {}});
}
Diagnostic& Diagnostics::warning(Span span, std::string message, std::string code) {
    return push({Severity::warning, span, std::move(message), std::move(code), {}});
}
Diagnostic& Diagnostics::note(Span span, std::string message, std::string code) {
    return push({Severity::note, span, std::move(message), std::move(code), {}});
}

static const char* severity_name(Severity s) {
    switch (s) {
        case Severity::note: return "note";
        case Severity::warning: return "warning";
        case Severity::error: return "error";
    }
    return "error";
}

// Control bytes in a shown source line would corrupt the terminal; show them as '?'.
static std::string printable(std::string_view line) {
    std::string out(line);
    for (auto& c : out)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) c = '?';
    return out;
}

// The part of a source line a diagnostic shows: all of it, unless the line is longer than any
// rule a person writes (a generated line, a megabyte of repeated options), when a window around
// the span's start is shown between "...", so that each diagnostic stays a few lines long.
struct Excerpt {
    std::string shown;      // with the "..." marks
    size_t before;          // bytes of `shown` before the span
    std::string_view span;  // the span's part that is shown
};

static Excerpt excerpt(std::string_view line, size_t before, size_t length) {
    constexpr size_t whole_up_to = 512, context_before = 80, window = 240;
    std::string_view span = line.substr(before, length);
    if (line.size() <= whole_up_to) return {printable(line), before, span};
    size_t start = character_start(line, before > context_before ? before - context_before : 0);
    size_t end = std::max(before, character_start(line, start + window));
    std::string head = start > 0 ? "..." : "";
    std::string shown = head + printable(line.substr(start, end - start)) + (end < line.size() ? "..." : "");
    return {shown, head.size() + before - start, span.substr(0, end - before)};
}

// A message as shown: one that quotes a huge word of the input (a name of 100,000 bytes in a
// script) keeps its beginning and its end, the part between them left out.
static std::string_view shortened(std::string_view message, std::string& storage) {
    constexpr size_t longest = 1024, kept = 400;
    if (message.size() <= longest) return message;
    size_t head = character_start(message, kept), tail = character_start(message, message.size() - kept);
    storage = fmt::format("{} ... {}", message.substr(0, head), message.substr(tail));
    return storage;
}

// The parts of a diagnostic a terminal shows in colour, as compilers do: the place and the message
// bold, the severity in its colour, the caret green.
struct Painter {
    bool on;
    std::string operator()(fmt::text_style style, std::string_view text) const {
        return on ? fmt::format(style, "{}", text) : std::string(text);
    }
    std::string severity(Severity s) const {
        auto colour = s == Severity::error     ? fmt::terminal_color::red
                      : s == Severity::warning ? fmt::terminal_color::magenta
                                               : fmt::terminal_color::cyan;
        return (*this)(fmt::emphasis::bold | fmt::fg(colour), severity_name(s)) + (*this)(fmt::emphasis::bold, ":");
    }
};

static void render_into(const SourceManager& sources, const Diagnostic& d, const Painter& paint, std::string& out) {
    std::string storage;
    std::string_view message = shortened(d.message, storage);
    const auto bold = fmt::emphasis::bold;
    if (d.span.file == 0) {
        out += fmt::format("{} {} {} [{}]\n", paint(bold, "ipt2nft:"), paint.severity(d.severity), paint(bold, message),
                           d.code);
    } else {
        auto lc = sources.line_col(d.span.file, d.span.begin);
        std::string place = fmt::format("{}:{}:{}:", sources.name(d.span.file, d.span.begin), lc.line, lc.col);
        out += fmt::format("{} {} {} [{}]\n", paint(bold, place), paint.severity(d.severity), paint(bold, message),
                           d.code);
        auto line = sources.line_text(d.span.file, d.span.begin);
        size_t before = std::min<size_t>(lc.col - 1, line.size());
        size_t length = d.span.end > d.span.begin ? d.span.end - d.span.begin : 0;
        Excerpt shown = excerpt(line, before, length);
        out += shown.shown;
        out += '\n';
        // Columns as the terminal shows them: "é" is two bytes and one column, "日" three and two.
        std::string caret = blanks_as_wide_as(std::string_view(shown.shown).substr(0, shown.before));
        size_t width = std::max<size_t>(1, display_width(shown.span));
        out += caret;
        out += paint(bold | fmt::fg(fmt::terminal_color::green), "^" + std::string(width - 1, '~'));
        out += '\n';
    }
    for (const auto& n : d.notes) render_into(sources, n, paint, out);
}

std::string render_one(const SourceManager& sources, const Diagnostic& d, bool colour) {
    std::string out;
    render_into(sources, d, Painter{colour}, out);
    return out;
}

void Diagnostics::render(const SourceManager& sources, std::ostream& out, bool colour) const {
    // In source order, whichever stage found them: a reader goes through the file top down.
    std::vector<const Diagnostic*> ordered;
    for (const auto& d : list_) ordered.push_back(&d);
    std::stable_sort(ordered.begin(), ordered.end(), [](const Diagnostic* a, const Diagnostic* b) {
        return std::pair{a->span.file, a->span.begin} < std::pair{b->span.file, b->span.begin};
    });
    for (const auto* d : ordered) out << render_one(sources, *d, colour);
    if (dropped_ > 0)
        out << fmt::format("ipt2nft: note: {} more diagnostics not shown [too-many-diagnostics]\n", dropped_);
}

}  // namespace ipt2nft
