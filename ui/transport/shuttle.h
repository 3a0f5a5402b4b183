#pragma once

namespace saccade {

/// J/K/L shuttle arithmetic (mpv, Kdenlive): L plays forward and each repeat doubles the speed, J does
/// the same backwards, a press against the current direction starts over at 1x that way.
class Shuttle {
public:
    static constexpr double kMaxRate = 16.0;

    /// Signed playback rate; 0 when stopped.
    double rate() const { return m_rate; }
    double forward();
    double backward();
    void stop() { m_rate = 0.0; }
    /// Follows a rate set elsewhere (speed keys, the speed box, play/pause).
    void setRate(double rate) { m_rate = rate; }

private:
    double m_rate = 0.0;
};

} // namespace saccade
