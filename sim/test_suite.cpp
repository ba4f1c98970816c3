// Reading test and host files with yaml-cpp; a mistake is an error at the node it is in.
#include "sim/test_suite.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <set>

namespace ipt2nft::sim {

namespace {

// A located mistake, thrown to the reader's top.
struct Mistake {
    YAML::Mark mark;
    std::string message;
};

class Reader {
public:
    Reader(uint32_t file, const SourceManager& sources) : file_(file), sources_(sources) {}

    YAML::Node load() {
        try {
            return YAML::Load(std::string(sources_.text(file_)));
        } catch (const YAML::ParserException& e) {
            throw Mistake{e.mark, e.msg};
        }
    }

    Span span(const YAML::Mark& mark) const {
        std::string_view text = sources_.text(file_);
        if (mark.pos < 0 || static_cast<size_t>(mark.pos) >= text.size())
            return Span{file_, static_cast<uint32_t>(text.size()), static_cast<uint32_t>(text.size())};
        size_t end = text.find_first_of("\n", static_cast<size_t>(mark.pos));
        if (end == std::string_view::npos) end = text.size();
        return Span{file_, static_cast<uint32_t>(mark.pos), static_cast<uint32_t>(end)};
    }

private:
    uint32_t file_;
    const SourceManager& sources_;
};

[[noreturn]] void fail(const YAML::Node& n, std::string message) {
    throw Mistake{n.Mark(), std::move(message)};
}

std::string scalar(const YAML::Node& n, std::string_view what) {
    if (!n.IsScalar()) fail(n, fmt::format("{} is a single value", what));
    return n.Scalar();
}

// Keys of a mapping, each known.
void known_keys(const YAML::Node& map, const std::set<std::string>& keys, std::string_view what) {
    if (!map.IsMap()) fail(map, fmt::format("{} is a mapping", what));
    for (const auto& kv : map) {
        std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
        if (!keys.count(key)) {
            std::string list;
            for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
            fail(kv.first, fmt::format("unknown key '{}' in {} (known: {})", key, what, list));
        }
    }
}

HostSpec host_of(const YAML::Node& host) {
    known_keys(host, {"interfaces", "routes"}, "the host");
    HostSpec spec;
    if (const YAML::Node interfaces = host["interfaces"]) {
        if (!interfaces.IsMap()) fail(interfaces, "interfaces is a mapping of NAME: ADDRESS/LENGTH or a list of them");
        for (const auto& kv : interfaces) {
            std::string addresses;
            if (kv.second.IsSequence()) {
                for (const auto& a : kv.second) addresses += (addresses.empty() ? "" : ",") + scalar(a, "an address");
            } else if (!kv.second.IsNull()) {
                addresses = scalar(kv.second, "an interface's addresses");
            }
            spec.interfaces.push_back(scalar(kv.first, "an interface's name") +
                                      (addresses.empty() ? "" : "=" + addresses));
        }
    }
    if (const YAML::Node routes = host["routes"]) {
        if (!routes.IsMap()) fail(routes, "routes is a mapping of NETWORK: INTERFACE (or default: INTERFACE)");
        for (const auto& kv : routes)
            spec.routes.push_back(scalar(kv.first, "a route's network") + "=" +
                                  scalar(kv.second, "a route's interface"));
    }
    return spec;
}

Expectation expectation_of(const YAML::Node& e) {
    known_keys(e, {"verdict", "rule", "flow", "end", "out", "ct_state"}, "expect");
    Expectation x;
    auto take = [&](const char* key, std::optional<std::string>& into, std::set<std::string> allowed = {}) {
        if (const YAML::Node n = e[key]) {
            into = scalar(n, key);
            if (!allowed.empty() && !allowed.count(*into))
                fail(n, fmt::format("{} is one of: {}", key, fmt::join(allowed, ", ")));
        }
    };
    take("verdict", x.verdict, {"accept", "drop"});
    take("rule", x.rule);
    take("flow", x.flow);
    take("end", x.end, {"delivered", "forwarded", "sent", "dropped"});
    take("out", x.out);
    take("ct_state", x.ct_state, {"new", "established", "related", "invalid", "untracked"});
    return x;
}

TestCase case_of(const YAML::Node& c, size_t number, const Reader& reader) {
    known_keys(c, {"name", "packet", "packets", "expect"}, "a test case");
    TestCase t;
    t.span = reader.span(c.Mark());
    t.name = c["name"] ? scalar(c["name"], "name") : fmt::format("case {}", number);
    if (c["packet"] && c["packets"]) fail(c["packets"], "a case has `packet` or `packets`, not both");
    if (const YAML::Node p = c["packet"]) t.packets.push_back(scalar(p, "packet"));
    if (const YAML::Node ps = c["packets"]) {
        if (!ps.IsSequence() || ps.size() == 0) fail(ps, "packets is a list of packet descriptions, one flow in order");
        for (const auto& p : ps) t.packets.push_back(scalar(p, "a packet"));
    }
    if (t.packets.empty()) fail(c, fmt::format("case '{}' has no packet (`packet:` or `packets:`)", t.name));
    if (!c["expect"])
        fail(c, fmt::format("case '{}' expects nothing (`expect:` with verdict, rule, flow, ...)", t.name));
    t.expect = expectation_of(c["expect"]);
    return t;
}

template <typename Read>
auto located(uint32_t file, const SourceManager& sources, Diagnostics& diags, Read read)
    -> std::optional<decltype(read(std::declval<YAML::Node>(), std::declval<Reader&>()))> {
    Reader reader(file, sources);
    try {
        return read(reader.load(), reader);
    } catch (const Mistake& m) {
        diags.error(reader.span(m.mark), m.message, "test-file");
    } catch (const YAML::Exception& e) {
        diags.error(reader.span(e.mark), e.msg, "test-file");
    }
    return std::nullopt;
}

}  // namespace

std::optional<HostSpec> read_host_file(uint32_t file, const SourceManager& sources, Diagnostics& diags) {
    return located(file, sources, diags, [](const YAML::Node& root, Reader&) { return host_of(root); });
}

std::optional<TestSuite> read_test_suite(uint32_t file, const SourceManager& sources, Diagnostics& diags) {
    return located(file, sources, diags, [](const YAML::Node& root, Reader& reader) {
        known_keys(root, {"host", "tests"}, "a test file");
        TestSuite suite;
        if (root["host"]) suite.host = host_of(root["host"]);
        const YAML::Node tests = root["tests"];
        if (!tests || !tests.IsSequence()) fail(tests ? tests : root, "a test file has `tests:`, a list of cases");
        for (size_t i = 0; i < tests.size(); ++i) suite.cases.push_back(case_of(tests[i], i + 1, reader));
        return suite;
    });
}

}  // namespace ipt2nft::sim
