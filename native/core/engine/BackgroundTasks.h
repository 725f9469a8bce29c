// Work run on threads of its own, so that the caller goes on meanwhile: the
// requests of asking ahead run while the layer that asked is read. Threads
// are started as needed, up to a bound, and joined when the owner goes.
#ifndef AR_HTTP_CORE_BACKGROUND_TASKS_H
#define AR_HTTP_CORE_BACKGROUND_TASKS_H

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace arhttp {

class BackgroundTasks {
public:
    explicit BackgroundTasks(size_t maxThreads);
    // Runs what was queued, then joins.
    ~BackgroundTasks();
    BackgroundTasks(const BackgroundTasks&) = delete;
    BackgroundTasks& operator=(const BackgroundTasks&) = delete;

    // Queues `task`; runs it here if no thread can be had. `task` must not throw.
    // Dropped once abandoned.
    void Run(std::function<void()> task);
    // Drops what is queued and waits for what runs: for the process's exit,
    // when no one waits for the results and the transport must be left be
    // before its libraries' statics go.
    void Abandon();

private:
    void Work();

    const size_t _maxThreads;
    std::mutex _mutex;
    std::condition_variable _wake;
    std::deque<std::function<void()>> _queue;
    std::vector<std::thread> _threads;
    size_t _idle = 0;
    bool _stopping = false;
};

}  // namespace arhttp

#endif
