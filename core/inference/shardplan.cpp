#include "core/inference/shardplan.h"

#include <QFileInfo>

#include <algorithm>

namespace saccade {

Result<Shard> Shard::parse(const QString& text) {
    const QStringList parts = text.split(QLatin1Char('/'));
    bool indexOk = false;
    bool countOk = false;
    Shard shard;
    if (parts.size() == 2) {
        shard.index = parts[0].toInt(&indexOk);
        shard.count = parts[1].toInt(&countOk);
    }
    if (!indexOk || !countOk || shard.count < 1 || shard.index < 0 || shard.index >= shard.count)
        return Error::invalidArgument(QStringLiteral("shard '%1' is not K/N with 0 <= K < N").arg(text));
    return shard;
}

QStringList Shard::select(const QStringList& videos) const {
    QStringList canonical;
    for (const QString& video : videos)
        canonical.push_back(QFileInfo(video).absoluteFilePath());
    std::sort(canonical.begin(), canonical.end());
    canonical.erase(std::unique(canonical.begin(), canonical.end()), canonical.end());
    QStringList chosen;
    for (int i = index; i < canonical.size(); i += count)
        chosen.push_back(canonical[i]);
    return chosen;
}

} // namespace saccade
