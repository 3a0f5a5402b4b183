#include "core/media/clipsampler.h"

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

std::vector<qint64> clamped(std::vector<qint64> frames, qint64 frameCount) {
    const qint64 last = std::max<qint64>(frameCount - 1, 0);
    for (qint64& frame : frames)
        frame = std::clamp<qint64>(frame, 0, last);
    return frames;
}

} // namespace

double ClipSampler::clipSpan(int numFrames, int samplingRate, double fps, double targetFps) {
    if (targetFps <= 0.0)
        return 0.0;
    return double(samplingRate) * numFrames / targetFps * fps;
}

std::vector<qint64> ClipSampler::linspace(double first, double last, int count) {
    std::vector<qint64> frames;
    if (count <= 0)
        return frames;
    frames.reserve(size_t(count));
    for (int i = 0; i < count; ++i) {
        // Same formula as torch.linspace / numpy.linspace, then truncation like .long().
        const double value = count == 1 ? first : first + (last - first) * double(i) / double(count - 1);
        frames.push_back(qint64(std::floor(value)));
    }
    return frames;
}

std::vector<qint64> ClipSampler::uniform(qint64 firstFrame, qint64 lastFrame, int count) {
    return linspace(double(firstFrame), double(std::max(firstFrame, lastFrame)), count);
}

std::vector<qint64> ClipSampler::temporalClip(qint64 frameCount, double fps, int numFrames, int samplingRate,
                                              int viewIndex, int viewCount, ClipStart start,
                                              double targetFps) {
    if (frameCount <= 0 || numFrames <= 0)
        return {};
    const double span = clipSpan(numFrames, samplingRate, fps, targetFps);
    const double delta = std::max(double(frameCount) - span, 0.0);
    const int views = std::max(viewCount, 1);
    const int view = std::clamp(viewIndex, 0, views - 1);
    double first = 0.0;
    if (start == ClipStart::Research)
        first = delta * view / views;
    else if (views == 1)
        first = std::floor(delta / 2.0);
    else
        first = view * std::floor(delta / (views - 1));
    return clamped(linspace(first, first + span - 1.0, numFrames), frameCount);
}

std::vector<ClipWindow> ClipSampler::slidingWindows(qint64 frameCount, qint64 span, qint64 stride,
                                                    int numFrames) {
    std::vector<ClipWindow> windows;
    if (frameCount <= 0 || span <= 0 || stride <= 0 || numFrames <= 0)
        return windows;
    auto window = [&](qint64 first) {
        ClipWindow result;
        result.startFrame = first;
        result.endFrame = std::min(first + span - 1, frameCount - 1);
        result.frames = clamped(linspace(double(first), double(first + span - 1), numFrames), frameCount);
        return result;
    };
    qint64 first = 0;
    for (; first + span < frameCount; first += stride)
        windows.push_back(window(first));
    const qint64 lastStart = std::max<qint64>(frameCount - span, 0);
    if (windows.empty() || windows.back().startFrame < lastStart)
        windows.push_back(window(lastStart));
    return windows;
}

} // namespace saccade

namespace saccade {

std::vector<ClipWindow> ClipSampler::gridWindows(qint64 frameCount, double span, int numFrames,
                                                 int strideSteps) {
    std::vector<ClipWindow> windows;
    if (frameCount <= 0 || !(span > 0.0) || numFrames <= 0 || strideSteps <= 0)
        return windows;
    const double step = span / numFrames;
    const auto gridFrame = [step](qint64 point) {
        return static_cast<qint64>(std::floor(point * step + 1e-9));
    };
    const qint64 spanFrames = std::max<qint64>(1, static_cast<qint64>(std::llround(span)));
    for (qint64 first = 0;; first += strideSteps) {
        const qint64 start = gridFrame(first);
        const qint64 end = gridFrame(first + numFrames) - 1;
        if (end > frameCount - 1)
            break;
        ClipWindow window;
        window.startFrame = start;
        window.endFrame = end;
        for (int j = 0; j < numFrames; ++j)
            window.frames.push_back(gridFrame(first + j));
        windows.push_back(std::move(window));
        if (end == frameCount - 1)
            return windows;
    }
    // The tail: one window ending on the last frame (or the whole of a short video).
    const qint64 lastStart = std::max<qint64>(0, frameCount - spanFrames);
    ClipWindow tail;
    tail.startFrame = lastStart;
    tail.endFrame = frameCount - 1;
    for (int j = 0; j < numFrames; ++j)
        tail.frames.push_back(
            std::min(frameCount - 1, lastStart + static_cast<qint64>(std::floor(j * step + 1e-9))));
    windows.push_back(std::move(tail));
    return windows;
}

} // namespace saccade
