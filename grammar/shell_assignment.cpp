// Shell variable names and assignments: a name is letters, digits and '_', not a digit first.
#include "grammar/shell_assignment.hpp"

#include <cctype>

namespace ipt2nft::grammar {

size_t name_length(std::string_view text) {
    size_t end = 0;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
    return end > 0 && std::isdigit(static_cast<unsigned char>(text[0])) ? 0 : end;
}

bool is_assignment(const Word& w) {
    size_t eq = name_length(w.text);
    return eq != 0 && eq < w.text.size() && w.text[eq] == '=';
}

bool is_assignment(const Word& w, std::string& name, std::string& value) {
    if (!is_assignment(w)) return false;
    size_t eq = w.text.find('=');
    name = w.text.substr(0, eq);
    value = w.text.substr(eq + 1);
    return true;
}

}  // namespace ipt2nft::grammar
