// time match: dates, the time of day and weekdays, as xt_time reads the clock (UTC by default).
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <span>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

constexpr uint64_t ns_per_second = 1'000'000'000;
constexpr uint32_t last_second_of_day = 86399;
// xt_time's dates are 32-bit: a rule without --datestop has this one (iptables-save prints it).
constexpr uint64_t no_date_stop = INT32_MAX;

// The fields of `text` as libxt_time reads them: each with strtoul in base 10 (leading blanks and
// a sign taken, no digits read as 0), followed by the next of `separators` or by the end, which
// may come after `least` fields; each at most its `highest`.
std::optional<std::vector<unsigned long>> fields(const std::string& text, std::string_view separators, size_t least,
                                                 std::span<const unsigned long> highest) {
    std::vector<unsigned long> parts;
    const char* at = text.c_str();
    for (size_t i = 0;; ++i) {
        char* end = nullptr;
        parts.push_back(std::strtoul(at, &end, 10));
        if (parts.back() > highest[i]) return std::nullopt;
        if (*end == '\0') return parts.size() >= least ? std::optional(parts) : std::nullopt;
        if (i >= separators.size() || *end != separators[i]) return std::nullopt;
        at = end + 1;
    }
}

// Days since 1970 of a civil date of a month 0 to 12, the month and day running over as timegm
// lets them (month 0 is the December before, 2021-02-31 is 2021-03-03: seen).
int64_t days_since_epoch(int64_t year, unsigned month, int64_t day) {
    if (month == 0) --year, month = 12;
    using namespace std::chrono;
    sys_days first{std::chrono::year{static_cast<int>(year)} / std::chrono::month{month} / 1};
    return first.time_since_epoch().count() + day - 1;
}

// YYYY[-MM[-DD[Thh[:mm[:ss]]]]] in UTC, as libxt_time reads it.
std::optional<uint64_t> date_seconds(const Word& w, Diagnostics& diags) {
    static constexpr unsigned long highest[] = {2038, 12, 31, 23, 59, 59};
    auto parts = fields(std::string(w.text), "--T::", 1, highest);
    if (parts && (*parts)[0] >= 1970) {
        static constexpr unsigned long unset[] = {1970, 1, 1, 0, 0, 0};
        for (size_t i = parts->size(); i < std::size(unset); ++i) parts->push_back(unset[i]);
        auto part = [&](size_t i) { return static_cast<int64_t>((*parts)[i]); };
        int64_t seconds = days_since_epoch(part(0), static_cast<unsigned>(part(1)), part(2)) * 86400 + part(3) * 3600 +
                          part(4) * 60 + part(5);
        if (seconds >= 0) return static_cast<uint64_t>(seconds);
    }
    diags.error(w.span, fmt::format("'{}' is not a date YYYY[-MM[-DD[Thh[:mm[:ss]]]]] from 1970 to 2038", w.text),
                "bad-value");
    return std::nullopt;
}

// hh:mm[:ss], seconds since midnight.
std::optional<uint32_t> day_seconds(const Word& w, Diagnostics& diags) {
    static constexpr unsigned long highest[] = {23, 59, 59};
    auto parts = fields(std::string(w.text), "::", 2, highest);
    if (!parts) {
        diags.error(w.span, fmt::format("'{}' is not a time of day hh:mm[:ss]", w.text), "bad-value");
        return std::nullopt;
    }
    parts->resize(3, 0);
    return static_cast<uint32_t>((*parts)[0] * 3600 + (*parts)[1] * 60 + (*parts)[2]);
}

// Days as nft numbers them (Sunday 0 ... Saturday 6), a bit each. libxt_time takes 1-7 (Monday
// first) or names by their first two letters (Mo, Mon, Monday), case and all.
std::optional<uint8_t> weekdays(const OptionUse& o, Diagnostics& diags) {
    static constexpr std::string_view names[] = {"Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"};
    uint8_t days = 0;
    for (const Word& d : split_list(o.args[0])) {
        std::optional<unsigned> day;
        if (auto n = parse_unsigned(d.text); n && *n >= 1 && *n <= 7) day = *n % 7;
        for (unsigned i = 0; !day && i < std::size(names); ++i)
            if (d.text.starts_with(names[i])) day = i;
        if (!day) {
            diags.error(d.span, fmt::format("'{}' is not a day (Mon ... Sun, or 1 ... 7 from Monday)", d.text),
                        "bad-value");
            return std::nullopt;
        }
        days |= static_cast<uint8_t>(1u << *day);
    }
    return o.inverted ? static_cast<uint8_t>(~days & 0x7f) : days;
}

void match_dates(const ExtensionUse& use, LowerContext& ctx) {
    auto seconds = [&](std::string_view option) -> std::optional<uint64_t> {
        const OptionUse* o = use.find(option);
        return o ? date_seconds(o->args[0], ctx.diags) : std::nullopt;
    };
    const MetaSelector clock{MetaKey::time};
    if (auto start = seconds("datestart"); start && *start > 0)
        ctx.match(Compare{clock, Op::ge, Value(*start * ns_per_second), {}}, use.find("datestart")->span);
    // xt_time compares whole seconds, so the last second is matched through: below the next one.
    // Its largest date stands for none (nft's clock runs past 2038; xt_time's would stop there).
    if (auto stop = seconds("datestop"); stop && *stop < no_date_stop)
        ctx.match(Compare{clock, Op::lt, Value((*stop + 1) * ns_per_second), {}}, use.find("datestop")->span);
}

// The hours between start and stop, both included; stop before start wraps past midnight, and
// xt_time takes equal ones as the whole day.
void match_hours(const ExtensionUse& use, LowerContext& ctx, Span span, bool& wraps) {
    const OptionUse* from = use.find("timestart");
    const OptionUse* to = use.find("timestop");
    std::optional<uint32_t> start = from ? day_seconds(from->args[0], ctx.diags) : 0u;
    std::optional<uint32_t> stop = to ? day_seconds(to->args[0], ctx.diags) : last_second_of_day;
    if (!start || !stop) return;
    wraps = *start > *stop;
    if (*start == *stop || (*start == 0 && *stop == last_second_of_day) || (wraps && *start == *stop + 1)) return;
    const MetaSelector hour{MetaKey::hour};
    if (wraps)
        ctx.match(Compare{hour, Op::neq, make_range(uint64_t{*stop} + 1, uint64_t{*start} - 1), {}}, span);
    else
        ctx.match(Compare{hour, Op::eq, make_range(uint64_t{*start}, uint64_t{*stop}), {}}, span);
}

void match_weekdays(const OptionUse& o, LowerContext& ctx) {
    auto days = weekdays(o, ctx.diags);
    if (!days || *days == 0x7f) return;
    if (*days == 0) {
        ctx.diags.error(o.span, "these weekdays leave no day: the rule would never match", "never-matches");
        return;
    }
    std::vector<Value> listed;
    for (uint64_t d = 0; d < 7; ++d)
        if (*days & (1u << d)) listed.emplace_back(d);
    Value v = listed.size() == 1 ? listed[0] : Value(ValueSet{std::move(listed)});
    ctx.match(Compare{MetaSelector{MetaKey::day}, Op::eq, std::move(v), {}}, o.span);
    ctx.diags.note(o.span,
                   "nft's `meta day` counts days in the kernel's timezone, xt_time in UTC: they agree where the "
                   "kernel's timezone is UTC, as it is unless the clock was set to keep local time",
                   "day-in-kernel-timezone");
}

void lower_time(const ExtensionUse& use, LowerContext& ctx) {
    if (const OptionUse* o = use.find("kerneltz")) {
        ctx.untranslatable(use, fmt::format("nft compares times in UTC (`meta hour`, `meta time`): --{} (the "
                                            "kernel's timezone) cannot be said; give the times in UTC and drop it",
                                            o->def->name));
        return;
    }
    if (use.find("monthdays")) {
        ctx.untranslatable(use, "nft has no day of the month: --monthdays cannot be translated");
        return;
    }
    match_dates(use, ctx);
    bool wraps = false;
    Span hours_span = use.find("timestart") ? use.find("timestart")->span : use.span;
    match_hours(use, ctx, hours_span, wraps);
    const OptionUse* days = use.find("weekdays");
    if (days) match_weekdays(*days, ctx);
    // --contiguous counts the hours after midnight of a wrapping range to the day before: nft's
    // day is the packet's own.
    if (days && wraps && use.find("contiguous"))
        ctx.untranslatable(use,
                           "--contiguous with --weekdays over midnight counts the early hours to the day before; "
                           "nft's `meta day` is the packet's own day");
}

}  // namespace

extern const Extension time_match{"time",
                                  {{"datestart", 1, false},
                                   {"datestop", 1, false},
                                   {"timestart", 1, false},
                                   {"timestop", 1, false},
                                   {"weekdays", 1, true},
                                   {"monthdays", 1, true},
                                   {"kerneltz", 0, false},
                                   {"localtz", 0, false, "kerneltz"},
                                   {"utc", 0, false},
                                   {"contiguous", 0, false}},
                                  lower_time};

}  // namespace ipt2nft::grammar
