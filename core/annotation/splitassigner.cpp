#include "core/annotation/splitassigner.h"

#include <QMap>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

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

namespace {

// Small strata round every share to whole videos on their own, so a split with a small share can end up
// empty (five videos at 0.6/0.2/0.2 with five labels: 5 train). Each empty split with a positive share
// takes one video from the split holding the most, out of that split's largest stratum (the
// stratification suffers least there); the caller has checked there are enough videos.
void ensureNoEmptySplit(QHash<QString, Split>& result, const std::vector<std::pair<QString, QString>>& order,
                        const std::array<double, 3>& fractions) {
    const std::array<Split, 3> splits = {Split::Train, Split::Val, Split::Test};
    for (size_t k = 0; k < splits.size(); ++k) {
        if (fractions[k] <= 0 || std::find(result.cbegin(), result.cend(), splits[k]) != result.cend())
            continue;
        QMap<Split, qsizetype> sizes;
        for (const Split split : std::as_const(result))
            sizes[split] += 1;
        Split donor = splits[k];
        for (auto it = sizes.cbegin(); it != sizes.cend(); ++it) {
            if (it.value() > 1 && (donor == splits[k] || it.value() > sizes.value(donor)))
                donor = it.key();
        }
        if (donor == splits[k])
            return;
        QMap<QString, qsizetype> strataSizes;
        for (const auto& [stratum, id] : order) {
            if (result.value(id) == donor)
                strataSizes[stratum] += 1;
        }
        auto largest = strataSizes.cbegin();
        for (auto it = strataSizes.cbegin(); it != strataSizes.cend(); ++it) {
            if (it.value() > largest.value())
                largest = it;
        }
        // The last video the donor got from that stratum (the order is fixed by the seed).
        for (auto it = order.crbegin(); it != order.crend(); ++it) {
            if (it->first == largest.key() && result.value(it->second) == donor) {
                result.insert(it->second, splits[k]);
                break;
            }
        }
    }
}

} // namespace

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
    const std::array<Split, 3> splits = {Split::Train, Split::Val, Split::Test};
    const std::array<double, 3> fractions = {ratios.train, ratios.val, ratios.test};
    const auto wanted = static_cast<qsizetype>(
        std::count_if(fractions.begin(), fractions.end(), [](double share) { return share > 0; }));
    const auto videoCount = static_cast<qsizetype>(data.videos.size());
    if (videoCount < wanted)
        return Error::invalidArgument(
            QStringLiteral("%1 splits have a share above zero but the project has only %2 video(s); every "
                           "split needs at least one video (use fewer splits or add videos)")
                .arg(wanted)
                .arg(videoCount));
    QMap<QString, QStringList> strata;
    for (const VideoEntry& video : data.videos)
        strata[mainLabel(video)] << video.id;

    // mt19937_64's output is fixed by the standard; the shuffle below uses it directly, because the
    // standard distributions and std::shuffle differ between library implementations.
    std::mt19937_64 engine(seed);
    QHash<QString, Split> result;
    // In assignment order, for the fix-up below: each video's stratum and split.
    std::vector<std::pair<QString, QString>> order;
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
            for (qsizetype c = 0; c < counts[k]; ++c) {
                order.emplace_back(it.key(), ids[next]);
                result.insert(ids[next++], splits[k]);
            }
        }
    }
    ensureNoEmptySplit(result, order, fractions);
    return result;
}

} // namespace saccade
