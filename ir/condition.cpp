// The data type behind each kind of selector, from the descriptor table.
#include "ir/condition.hpp"

#include "util/overloaded.hpp"

namespace ipt2nft {

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
                          [](const ConcatSelector& c) { return describe(c.parts().front().field).type; },
                      },
                      s);
}

}  // namespace ipt2nft
