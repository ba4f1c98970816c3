// The data type behind each kind of selector, from the descriptor table; raw bits' nft word.
#include "ir/condition.hpp"

#include <fmt/format.h>

#include "util/overloaded.hpp"

namespace ipt2nft {

Datatype part_datatype(const ConcatPart& part) {
    return std::visit(overloaded{
                          [](const PayloadSelector& p) { return describe(p.field).type; },
                          [](const MetaSelector& m) { return describe(m.key).type; },
                      },
                      part);
}

Datatype selector_datatype(const Selector& s) {
    return std::visit(overloaded{
                          [](const PayloadSelector& p) { return describe(p.field).type; },
                          [](const MetaSelector& m) { return describe(m.key).type; },
                          [](const CtSelector& c) { return describe(c.key).type; },
                          [](const FibSelector& f) {
                              return f.result == FibResult::type ? Datatype::fib_addrtype : Datatype::integer;
                          },
                          [](const TcpOptionSelector&) { return Datatype::boolean; },
                          [](const TcpMssSelector&) { return Datatype::integer; },
                          [](const OsfSelector&) { return Datatype::os_genre; },
                          [](const NumgenSelector&) { return Datatype::integer; },
                          [](const RouteIpsecSelector&) { return Datatype::boolean; },
                          [](const RawPayloadSelector&) { return Datatype::integer; },
                          [](const ConcatSelector& c) { return part_datatype(c.parts().front()); },
                      },
                      s);
}

std::string_view raw_base_word(HeaderBase base) {
    return base == HeaderBase::link ? "ll" : base == HeaderBase::transport ? "th" : "nh";
}

std::string raw_payload_word(const RawPayloadSelector& r) {
    return fmt::format("@{},{},{}", raw_base_word(r.base), r.offset_bits, r.length_bits);
}

Selector part_selector(const ConcatPart& part) {
    return std::visit([](const auto& field) { return Selector{field}; }, part);
}

}  // namespace ipt2nft
