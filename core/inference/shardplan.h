#pragma once

#include "core/util/result.h"

#include <QString>
#include <QStringList>

namespace saccade {

/// Shard K of N of a batch (K in [0, N)), as a Slurm array task or a Kubernetes indexed job gives it.
struct Shard {
    int index = 0;
    int count = 1;

    /// Parses "K/N".
    static Result<Shard> parse(const QString& text);

    /// The videos this shard processes: the list is put in a canonical order (sorted absolute paths,
    /// duplicates dropped) so every shard sees the same list, then every N-th from position K. Together
    /// the N shards take each video exactly once. Pure function, any thread.
    QStringList select(const QStringList& videos) const;
};

} // namespace saccade
