// Matches on where the host handles a packet: devgroup (interface groups), cpu, cgroup (v1 class).
#include <fmt/format.h>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

// `value[/mask]`: a masked test when a mask is given, as xt_devgroup's (group & mask) == value.
void lower_group(const OptionUse& o, MetaKey key, HookLimit limit, LowerContext& ctx) {
    auto m = ctx.values.mark(o.args[0]);
    if (!m) return;
    bool masked = o.args[0].text.find('/') != std::string::npos && m->second != UINT32_MAX;
    Op op = masked ? (o.inverted ? Op::masked_neq : Op::masked_eq) : (o.inverted ? Op::neq : Op::eq);
    std::optional<uint64_t> mask;
    if (masked) mask = m->second;
    ctx.match(Compare{MetaSelector{key}, op, uint64_t{m->first & m->second}, mask}, o.span, limit);
}

void lower_devgroup(const ExtensionUse& use, LowerContext& ctx) {
    // xt_devgroup refuses a source group where no packet has an input interface, and so on.
    if (auto* o = use.find("src-group")) lower_group(*o, MetaKey::iifgroup, HookLimit::input_group, ctx);
    if (auto* o = use.find("dst-group")) lower_group(*o, MetaKey::oifgroup, HookLimit::output_group, ctx);
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
