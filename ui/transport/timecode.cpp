#include "ui/transport/timecode.h"

#include <QRegularExpression>

#include <cmath>

namespace saccade {

FrameRate FrameRate::fromFramesPerSecond(double fps) {
    if (!std::isfinite(fps) || fps <= 0)
        return {};
    const double ntsc = fps * 1.001;
    if (std::abs(ntsc - std::round(ntsc)) < 0.002 && std::abs(fps - std::round(fps)) > 0.002)
        return {qint64(std::llround(ntsc)) * 1000, 1001};
    const qint64 whole = std::llround(fps);
    if (std::abs(fps - double(whole)) < 1e-6)
        return {whole, 1};
    return {qint64(std::llround(fps * 1000)), 1000};
}

qint64 Timecode::frameToMs(qint64 frame, FrameRate rate) {
    if (!rate.isValid())
        return 0;
    const qint64 scaled = frame * rate.denominator * 1000;
    // Ceiling division rounds towards +inf for negative values too.
    const qint64 quotient = scaled / rate.numerator;
    return quotient + ((scaled % rate.numerator) > 0 ? 1 : 0);
}

qint64 Timecode::msToFrame(qint64 timeMs, FrameRate rate) {
    if (!rate.isValid())
        return 0;
    const qint64 scaled = timeMs * rate.numerator;
    const qint64 divisor = rate.denominator * 1000;
    const qint64 quotient = scaled / divisor;
    return quotient - ((scaled % divisor) < 0 ? 1 : 0);
}

QString Timecode::formatMs(qint64 timeMs) {
    const bool negative = timeMs < 0;
    const qint64 magnitude = negative ? -timeMs : timeMs;
    const qint64 ms = magnitude % 1000;
    const qint64 totalSeconds = magnitude / 1000;
    const qint64 seconds = totalSeconds % 60;
    const qint64 minutes = (totalSeconds / 60) % 60;
    const qint64 hours = totalSeconds / 3600;
    return QStringLiteral("%1%2:%3:%4.%5")
        .arg(negative ? QStringLiteral("-") : QString())
        .arg(hours, 2, 10, QLatin1Char('0'))
        .arg(minutes, 2, 10, QLatin1Char('0'))
        .arg(seconds, 2, 10, QLatin1Char('0'))
        .arg(ms, 3, 10, QLatin1Char('0'));
}

std::optional<qint64> Timecode::parseMs(const QString& text) {
    static const QRegularExpression pattern(
        QStringLiteral(R"(^\s*(?:(?:(\d{1,6}):)?(\d{1,2}):)?(\d{1,7})(?:[.,](\d*))?\s*$)"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const bool hasHours = match.capturedLength(1) > 0;
    const bool hasMinutes = match.capturedLength(2) > 0;
    const qint64 hours = hasHours ? match.captured(1).toLongLong() : 0;
    const qint64 minutes = hasMinutes ? match.captured(2).toLongLong() : 0;
    const qint64 seconds = match.captured(3).toLongLong();
    if (hasHours && minutes >= 60)
        return std::nullopt;
    if (hasMinutes && seconds >= 60)
        return std::nullopt;
    const QString fraction = match.captured(4).left(3).leftJustified(3, QLatin1Char('0'));
    const qint64 ms = fraction.toLongLong();
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
}

} // namespace saccade
