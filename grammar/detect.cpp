// Input format and family detection, from the first lines that tell.
#include <cctype>

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
    // IPv6-only words, or the address after -s/-d: only the start of a large file is read
    // (kube-proxy files run to megabytes), a plain scan of blank-separated words.
    bool has6 = false, has4 = false;
    std::string_view head = text.substr(0, 1 << 16);
    std::string_view previous;
    bool after_address_option = false;
    size_t pos = 0;
    while (pos < head.size()) {
        size_t start = head.find_first_not_of(" \t\r\n", pos);
        if (start == std::string_view::npos) break;
        size_t end = head.find_first_of(" \t\r\n", start);
        if (end == std::string_view::npos) end = head.size();
        std::string_view word = head.substr(start, end - start);
        pos = end;
        if (word == "icmpv6" || word == "icmp6" || word == "ipv6-icmp" || word.starts_with("--hl-") ||
            (previous == "-m" && word == "hl"))
            has6 = true;
        if (after_address_option && word != "!") {
            // A dotted quad first: `1.2.3.4:80` is IPv4 with a port; `::ffff:1.2.3.4` starts with ':'.
            if (!word.empty() && std::isdigit(static_cast<unsigned char>(word[0])) &&
                word.find('.') != std::string_view::npos)
                has4 = true;
            else if (word.find(':') != std::string_view::npos && !(word[0] == ':' && !word.starts_with("::")))
                has6 = true;  // `:8080` after --to-destination is a port alone
            after_address_option = false;
        }
        if (word == "-s" || word == "-d" || word == "--source" || word == "--destination" ||
            word == "--to-destination" || word == "--to-source")
            after_address_option = true;
        previous = word;
    }
    if (has6 && !has4) return Family::ipv6;
    if (has4 && !has6) return Family::ipv4;
    return std::nullopt;
}

}  // namespace ipt2nft::grammar
