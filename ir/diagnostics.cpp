// Diagnostics: file:line:col: severity: message [code], the source line, a caret under the span.
#include "ir/diagnostics.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ir/display_width.hpp"

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

bool Diagnostics::transfer_allowed_failure(Span at, Diagnostics& to) {
    auto first_error =
        std::find_if(list_.begin(), list_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
    if (first_error == list_.end()) {
        transfer(0, list_.size(), to);
        return false;
    }
    Diagnostic failure{Severity::warning,
                       at,
                       "this command fails, and the `||` or `&&` after it lets the script go on: it changes nothing",
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

static void render_into(const SourceManager& sources, const Diagnostic& d, std::string& out) {
    if (d.span.file == 0) {
        out += fmt::format("ipt2nft: {}: {} [{}]\n", severity_name(d.severity), d.message, d.code);
    } else {
        auto lc = sources.line_col(d.span.file, d.span.begin);
        out += fmt::format("{}:{}:{}: {}: {} [{}]\n", sources.name(d.span.file), lc.line, lc.col,
                           severity_name(d.severity), d.message, d.code);
        auto line = sources.line_text(d.span.file, d.span.begin);
        out += printable(line);
        out += '\n';
        // Columns as the terminal shows them: "é" is two bytes and one column, "日" three and two.
        size_t before = std::min<size_t>(lc.col - 1, line.size());
        size_t length = d.span.end > d.span.begin ? d.span.end - d.span.begin : 0;
        std::string caret = blanks_as_wide_as(line.substr(0, before));
        size_t width = std::max<size_t>(1, display_width(line.substr(before, length)));
        caret += '^';
        caret += std::string(width - 1, '~');
        out += caret;
        out += '\n';
    }
    for (const auto& n : d.notes) render_into(sources, n, out);
}

std::string render_one(const SourceManager& sources, const Diagnostic& d) {
    std::string out;
    render_into(sources, d, out);
    return out;
}

void Diagnostics::render(const SourceManager& sources, std::ostream& out) const {
    // In source order, whichever stage found them: a reader goes through the file top down.
    std::vector<const Diagnostic*> ordered;
    for (const auto& d : list_) ordered.push_back(&d);
    std::stable_sort(ordered.begin(), ordered.end(), [](const Diagnostic* a, const Diagnostic* b) {
        return std::pair{a->span.file, a->span.begin} < std::pair{b->span.file, b->span.begin};
    });
    for (const auto* d : ordered) out << render_one(sources, *d);
    if (dropped_ > 0)
        out << fmt::format("ipt2nft: note: {} more diagnostics not shown [too-many-diagnostics]\n", dropped_);
}

}  // namespace ipt2nft
