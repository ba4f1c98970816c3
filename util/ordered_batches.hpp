// Ordered batches: produce results on worker threads, consume them on the caller's thread in order.
#pragma once
#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

namespace ipt2nft {

// Worker threads to use when the caller does not say: one per hardware thread.
inline size_t hardware_threads() {
    return std::max(1u, std::thread::hardware_concurrency());
}

// Calls produce(i) for i in [0, count), on up to `threads` workers, and consume(result of i) on the
// calling thread in increasing i. At most 2 x threads results wait to be consumed, so memory stays
// that of a window, not of the whole input. An exception from produce reaches the caller when its
// batch's turn comes; workers are always joined before this returns or throws. produce is called
// from several threads at once; consume only from the caller's.
template <class Result, class Produce, class Consume>
void for_each_batch_in_order(size_t count, size_t threads, Produce produce, Consume consume) {
    auto in_this_thread = [&] {
        for (size_t i = 0; i < count; ++i) consume(produce(i));
    };
    threads = std::min(threads, count);
    if (threads <= 1) return in_this_thread();
    struct Slot {
        std::optional<Result> result;
        std::exception_ptr error;
        bool done = false;
    };
    const size_t window = 2 * threads;
    std::vector<Slot> slots(count);
    std::mutex mutex;
    std::condition_variable changed;
    size_t next = 0, consumed = 0;
    bool stop = false;
    auto work = [&] {
        for (;;) {
            size_t i;
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return stop || next >= count || next < consumed + window; });
                if (stop || next >= count) return;
                i = next++;
            }
            Slot filled;
            try {
                filled.result.emplace(produce(i));
            } catch (...) {
                filled.error = std::current_exception();
            }
            filled.done = true;
            std::lock_guard lock(mutex);
            slots[i] = std::move(filled);
            changed.notify_all();
        }
    };
    std::vector<std::thread> workers;
    // Joins on every way out, so no worker outlives the data it reads.
    struct Joiner {
        std::vector<std::thread>& workers;
        std::mutex& mutex;
        std::condition_variable& changed;
        bool& stop;
        ~Joiner() {
            {
                std::lock_guard lock(mutex);
                stop = true;
            }
            changed.notify_all();
            for (auto& w : workers) w.join();
        }
    } joiner{workers, mutex, changed, stop};
    for (size_t t = 0; t < threads; ++t) {
        try {
            workers.emplace_back(work);
        } catch (const std::system_error&) {
            break;  // the system allows no more threads: go on with those there are
        }
    }
    if (workers.empty()) return in_this_thread();
    for (size_t i = 0; i < count; ++i) {
        Slot slot;
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return slots[i].done; });
            slot = std::move(slots[i]);
            slots[i] = Slot{};
            consumed = i + 1;
        }
        changed.notify_all();
        if (slot.error) std::rethrow_exception(slot.error);
        consume(std::move(*slot.result));
    }
}

}  // namespace ipt2nft
