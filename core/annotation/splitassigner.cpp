#include "core/annotation/splitassigner.h"

#include <QMap>

#include <array>
#include <cmath>
#include <random>

namespace saccade {

Result<SplitRatios> SplitRatios::parse(const QString& text) {
    SplitRatios ratios{0.0, 0.0, 0.0};
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList pair = part.split(QLatin1Char('='));
        bool ok = false;
        const double value = pair.size() == 2 ? pair[1].trimmed().toDouble(&ok) : 0.0;
        if (!ok)
            return Error::invalidArgument(QStringLiteral("split '%1' must look like train=0.8").arg(part));
        const QString name = pair[0].trimmed();
        if (name == QLatin1String("train"))
            ratios.train = value;
        else if (name == QLatin1String("val"))
            ratios.val = value;
        else if (name == QLatin1String("test"))
            ratios.test = value;
        else
            return Error::invalidArgument(
                QStringLiteral("unknown split '%1' (use train, val, test)").arg(name));
    }
    Status valid = ratios.validate();
    if (!valid)
        return valid.error();
    return ratios;
}

Status SplitRatios::validate() const {
    if (train < 0 || val < 0 || test < 0)
        return Error::invalidArgument(QStringLiteral("split ratios cannot be negative"));
    if (std::abs(train + val + test - 1.0) > 1e-6)
        return Error::invalidArgument(
            QStringLiteral("split ratios must sum to 1 (got %1)").arg(train + val + test));
    return {};
}

QString SplitAssigner::mainLabel(const VideoEntry& video) {
    QMap<QString, qint64> frames;
    for (const Segment& segment : video.segments) {
        if (segment.state != SegmentState::Rejected)
            frames[segment.label] += segment.frameCount();
    }
    QString best;
    qint64 bestFrames = -1;
    // QMap iterates in name order, so ties break the same way everywhere.
    for (auto it = frames.cbegin(); it != frames.cend(); ++it) {
        if (it.value() > bestFrames) {
            best = it.key();
            bestFrames = it.value();
        }
    }
    if (best.isEmpty() && !video.videoLabels.isEmpty())
        best = video.videoLabels.first();
    return best;
}

Result<QHash<QString, Split>> SplitAssigner::assign(const ProjectData& data, const SplitRatios& ratios,
                                                    quint64 seed) {
    Status valid = ratios.validate();
    if (!valid)
        return valid.error();
    QMap<QString, QStringList> strata;
    for (const VideoEntry& video : data.videos)
        strata[mainLabel(video)] << video.id;

    // mt19937_64's output is fixed by the standard; the shuffle below uses it directly, because the
    // standard distributions and std::shuffle differ between library implementations.
    std::mt19937_64 engine(seed);
    const std::array<Split, 3> splits = {Split::Train, Split::Val, Split::Test};
    const std::array<double, 3> fractions = {ratios.train, ratios.val, ratios.test};
    QHash<QString, Split> result;
    for (auto it = strata.begin(); it != strata.end(); ++it) {
        QStringList ids = it.value();
        for (qsizetype i = ids.size() - 1; i > 0; --i) {
            const auto j = static_cast<qsizetype>(engine() % static_cast<quint64>(i + 1));
            ids.swapItemsAt(i, j);
        }
        // Largest remainder: whole counts that sum to the stratum size and follow the ratios.
        const auto n = static_cast<double>(ids.size());
        std::array<qsizetype, 3> counts{};
        std::array<double, 3> remainders{};
        qsizetype assigned = 0;
        for (size_t k = 0; k < 3; ++k) {
            counts[k] = static_cast<qsizetype>(std::floor(fractions[k] * n));
            remainders[k] = fractions[k] * n - static_cast<double>(counts[k]);
            assigned += counts[k];
        }
        while (assigned < ids.size()) {
            size_t best = 0;
            for (size_t k = 1; k < 3; ++k) {
                if (remainders[k] > remainders[best])
                    best = k;
            }
            ++counts[best];
            remainders[best] = -1.0;
            ++assigned;
        }
        qsizetype next = 0;
        for (size_t k = 0; k < 3; ++k) {
            for (qsizetype c = 0; c < counts[k]; ++c)
                result.insert(ids[next++], splits[k]);
        }
    }
    return result;
}

} // namespace saccade
