// Diagnostics: errors, warnings and notes collected as data, rendered with a caret.
#pragma once
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "ir/source_manager.hpp"
#include "ir/span.hpp"

namespace ipt2nft {

enum class Severity { note, warning, error };

struct Diagnostic {
    Severity severity;
    Span span;
    std::string message;
    std::string code;  // stable kebab-case word, matched by tests and CI users
    std::vector<Diagnostic> notes;
};

class Diagnostics {
public:
    explicit Diagnostics(size_t cap = 200) : cap_(cap) {}

    Diagnostic& error(Span span, std::string message, std::string code);
    Diagnostic& warning(Span span, std::string message, std::string code);
    Diagnostic& note(Span span, std::string message, std::string code);

    // Moves the diagnostics kept at [begin, end) into `to`, in order, under its cap.
    void transfer(size_t begin, size_t end, Diagnostics& to);
    // Moves all into `to`, the errors of a command whose failure the input allows (`cmd || true`,
    // no `set -e`) folded into one warning at `at`, saying `why` it goes on, with them as its notes;
    // returns whether it failed.
    bool transfer_allowed_failure(Span at, Diagnostics& to, std::string_view why);

    size_t error_count() const { return errors_; }
    bool has_errors() const { return errors_ > 0; }
    const std::vector<Diagnostic>& all() const { return list_; }

    // Prints every diagnostic kept, then a line saying how many were dropped past the cap; in a
    // terminal's colours when `colour`.
    void render(const SourceManager& sources, std::ostream& out, bool colour = false) const;

private:
    Diagnostic& push(Diagnostic d);
    size_t cap_;
    size_t errors_ = 0;
    size_t dropped_ = 0;
    std::vector<Diagnostic> list_;
    Diagnostic overflow_;  // receives diagnostics past the cap so callers can still attach notes
};

std::string render_one(const SourceManager& sources, const Diagnostic& d, bool colour = false);

}  // namespace ipt2nft
