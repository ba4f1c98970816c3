// CLASSIFY target: the packet's priority, a tc class handle.
#include <fmt/format.h>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_classify(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* o = use.find("set-class");  // present: the target's option rules need it
    const Word& w = o->args[0];
    // iptables reads it with sscanf's "%x:%x" and passes over what follows (seen: `1:2.` is 1:2);
    // a number above ffff, which it cuts to 16 bits, is refused here.
    unsigned major = 0, minor = 0;
    int read = 0;
    if (std::sscanf(std::string(w.text).c_str(), "%x:%x%n", &major, &minor, &read) != 2 || major > 0xffff ||
        minor > 0xffff) {
        ctx.diags.error(w.span, fmt::format("'{}' is not a class (MAJOR:MINOR in hex)", w.text), "bad-value");
        return;
    }
    if (static_cast<size_t>(read) < w.text.size())
        ctx.diags.warning(w.span,
                          fmt::format("iptables reads '{}' as class {:x}:{:x}, passing over what follows: written so",
                                      w.text, major, minor),
                          "lenient-value");
    FieldExpression e;
    e.constant = (uint64_t{major} << 16) | minor;
    ctx.action(SetField{MetaSelector{MetaKey::priority}, e}, use.span);
}

}  // namespace

extern const Extension classify_target{
    "CLASSIFY", {{"set-class", 1, false}}, lower_classify, {.needs_one_of = {"set-class"}}};

}  // namespace ipt2nft::grammar
