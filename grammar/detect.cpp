// Input format and family detection, from the first lines that tell.
#include <regex>

#include "grammar/readers.hpp"

namespace ipt2nft::grammar {

InputFormat detect_format(std::string_view text) {
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        size_t first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos) continue;
        char c = line[first];
        if (c == '#') continue;
        if (c == '*' || c == ':' || line.substr(first).starts_with("COMMIT") || line.substr(first).starts_with("-A ") ||
            line.substr(first).starts_with("[")) {
            return InputFormat::save;
        }
        return InputFormat::script;
    }
    return InputFormat::save;
}

std::optional<Family> detect_family(std::string_view text) {
    if (text.find("ip6tables-save") != std::string_view::npos) return Family::ipv6;
    if (text.find("iptables-save") != std::string_view::npos) return Family::ipv4;
    // IPv6-only words, or an address with '::' or hex groups after -s/-d.
    static const std::regex v6(R"((icmpv6|icmp6|ipv6-icmp|--hl-|-m hl\b|(-s|-d|--source|--destination)\s+!?\s*[0-9a-fA-F]*:[0-9a-fA-F:]*:))");
    static const std::regex v4(R"((-s|-d|--source|--destination|--to-destination|--to-source)\s+!?\s*\d+\.\d+\.\d+\.\d+)");
    // Only the start of a large file is searched: kube-proxy files run to megabytes.
    std::string head(text.substr(0, 1 << 16));
    bool has6 = std::regex_search(head, v6);
    bool has4 = std::regex_search(head, v4);
    if (has6 && !has4) return Family::ipv6;
    if (has4 && !has6) return Family::ipv4;
    return std::nullopt;
}

}  // namespace ipt2nft::grammar
