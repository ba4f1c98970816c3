// Matches on where the host handles a packet: devgroup (interface groups), cpu, cgroup (v1 class).
#include <fmt/format.h>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

// xt_devgroup compares the group's bits in the mask with the value's (a value bit outside the
// mask matches anyway, seen); it refuses a source group where no packet has an input interface,
// and so on.
void lower_devgroup(const ExtensionUse& use, LowerContext& ctx) {
    if (auto* o = use.find("src-group"))
        ctx.match_masked(MetaSelector{MetaKey::iifgroup}, *o, HookLimit::input_group, true);
    if (auto* o = use.find("dst-group"))
        ctx.match_masked(MetaSelector{MetaKey::oifgroup}, *o, HookLimit::output_group, true);
}

void lower_cpu(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* o = use.find("cpu");
    auto v = ctx.values.number(o->args[0], 0, UINT32_MAX, "CPU number");
    if (!v) return;
    ctx.match(Compare{MetaSelector{MetaKey::cpu}, o->inverted ? Op::neq : Op::eq, *v, {}}, o->span);
}

void lower_cgroup(const ExtensionUse& use, LowerContext& ctx) {
    if (use.find("path")) {
        ctx.untranslatable(use,
                           "ipt2nft does not write cgroup v2 paths (nft's `socket cgroupv2 level N \"path\"`); "
                           "--cgroup (a v1 net_cls class id) it does");
        return;
    }
    const OptionUse* o = use.find("cgroup");
    auto v = ctx.values.number(o->args[0], 0, UINT32_MAX, "cgroup class id");
    if (!v) return;
    // Packets without a full socket match neither `--cgroup` nor `! --cgroup`; nor `meta cgroup`.
    ctx.match(Compare{MetaSelector{MetaKey::cgroup}, o->inverted ? Op::neq : Op::eq, *v, {}}, o->span,
              HookLimit::socket_cgroup);
}

}  // namespace

extern const Extension devgroup_match{"devgroup",
                                      {{"src-group", 1, true}, {"dst-group", 1, true}},
                                      lower_devgroup,
                                      {.needs_one_of = {"src-group", "dst-group"}}};
extern const Extension cpu_match{"cpu", {{"cpu", 1, true}}, lower_cpu, {.needs_one_of = {"cpu"}}};
extern const Extension cgroup_match{"cgroup",
                                    {{"cgroup", 1, true}, {"path", 1, true}},
                                    lower_cgroup,
                                    {.needs_one_of = {"cgroup", "path"}, .exclusive = {{"cgroup", "path"}}}};

}  // namespace ipt2nft::grammar
