// The data type behind each kind of selector, from the descriptor table.
#include "ir/condition.hpp"

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
                          [](const NumgenSelector&) { return Datatype::integer; },
                          [](const RouteIpsecSelector&) { return Datatype::boolean; },
                          [](const ConcatSelector& c) { return part_datatype(c.parts().front()); },
                      },
                      s);
}

Selector part_selector(const ConcatPart& part) {
    return std::visit([](const auto& field) { return Selector{field}; }, part);
}

}  // namespace ipt2nft
