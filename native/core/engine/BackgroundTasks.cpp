#include "core/engine/BackgroundTasks.h"

namespace arhttp {

BackgroundTasks::BackgroundTasks(size_t maxThreads) : _maxThreads(maxThreads ? maxThreads : 1) {}

BackgroundTasks::~BackgroundTasks() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stopping = true;
    }
    _wake.notify_all();
    for (std::thread& thread : _threads) thread.join();
}

void BackgroundTasks::Run(std::function<void()> task) {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_stopping) return;
        _queue.push_back(std::move(task));
        if (_idle > 0 || _threads.size() >= _maxThreads) {
            _wake.notify_one();
            return;
        }
        try {
            _threads.emplace_back([this] { Work(); });
            return;
        } catch (...) {
            // No thread to be had: run it here, below.
            task = std::move(_queue.back());
            _queue.pop_back();
        }
    }
    task();
}

void BackgroundTasks::Abandon() {
    std::deque<std::function<void()>> dropped;
    std::vector<std::thread> threads;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stopping = true;
        dropped.swap(_queue);
        threads.swap(_threads);
    }
    _wake.notify_all();
    for (std::thread& thread : threads) thread.join();
    // `dropped` goes here, unlocked: a dropped task's claims settle as it goes.
}

void BackgroundTasks::Work() {
    std::unique_lock<std::mutex> lock(_mutex);
    for (;;) {
        if (_queue.empty()) {
            if (_stopping) return;
            ++_idle;
            _wake.wait(lock, [this] { return _stopping || !_queue.empty(); });
            --_idle;
            continue;
        }
        std::function<void()> task = std::move(_queue.front());
        _queue.pop_front();
        lock.unlock();
        task();
        lock.lock();
    }
}

}  // namespace arhttp
