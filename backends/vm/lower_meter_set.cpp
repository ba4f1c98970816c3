// A hashlimit's meter as the kernel's named set of a table: its key's layout, timeout and size.
#include "backends/vm/lower_meter_set.hpp"

#include "backends/vm/program_builder.hpp"
#include "ir/dynamic_sets.hpp"
#include "ir/meters.hpp"

namespace ipt2nft::vm {

NamedSet lower_meter_set(const Meter& meter, Family family) {
    NamedSet out;
    out.name = meter.name;
    out.content = constant_set({}, meter_key_selector(meter), family);
    out.dynamic = true;
    out.timeouts = true;
    out.timeout_ms = meter.shared ? meter.timeout_ms : 0;
    out.size = meter.shared ? meter.size.value_or(dynamic_set_size) : meter.size;
    return out;
}

}  // namespace ipt2nft::vm
