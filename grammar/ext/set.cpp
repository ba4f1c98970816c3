// set match: whether the packet's key (addresses, ports, ... by the flags) is in an ipset.
#include <fmt/format.h>

#include "grammar/ext/ipset_flags.hpp"
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_set(const ExtensionUse& use, LowerContext& ctx) {
    for (std::string_view counted : {"packets-eq", "packets-lt", "packets-gt", "bytes-eq", "bytes-lt", "bytes-gt"})
        if (use.find(counted)) {
            ctx.untranslatable(use, fmt::format("--{} compares the counters of the element the packet matched, "
                                                "which nft's lookup cannot read",
                                                counted));
            return;
        }
    if (use.find("return-nomatch")) {
        ctx.untranslatable(use, "--return-nomatch matches a set's nomatch elements, which nft's sets do not have");
        return;
    }
    for (std::string_view option : {"update-counters", "update-subcounters"})
        if (const OptionUse* o = use.find(option); o && o->inverted) {
            ctx.untranslatable(use, fmt::format("! --{} leaves the element's counters as they were, where nft's "
                                                "lookup counts every packet it finds",
                                                option));
            return;
        }
    const OptionUse* o = use.find("match-set");
    auto flags = ipset_flags(o->args[1], ctx.diags);
    if (!flags) return;
    ctx.stateful(IpsetLookup{o->args[0].text, *flags, o->inverted}, o->span);
}

}  // namespace

extern const Extension set_match{"set",
                                 {{"match-set", 2, true},
                                  {"set", 2, true, "match-set"},
                                  {"return-nomatch", 0, false},
                                  {"update-counters", 0, true},
                                  {"update-subcounters", 0, true},
                                  {"packets-eq", 1, true},
                                  {"packets-lt", 1, false},
                                  {"packets-gt", 1, false},
                                  {"bytes-eq", 1, true},
                                  {"bytes-lt", 1, false},
                                  {"bytes-gt", 1, false}},
                                 lower_set,
                                 {.needs_one_of = {"match-set"}}};

}  // namespace ipt2nft::grammar
