#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace saccade {

/// The classes of the synthetic action data. Consecutive pairs are each other's time reversal
/// (move left / move right, ...), so no single frame tells the two members of a pair apart.
/// The values are the class ids the demo model is trained with.
enum class SyntheticAction {
    MoveLeft = 0,
    MoveRight,
    MoveUp,
    MoveDown,
    RotateClockwise,
    RotateCounterClockwise,
    Grow,
    Shrink,
    Appear,
    Disappear,
    /// Not one of the demo model's classes: a diagonal move (up and to the right) that demo videos can
    /// mix in to show fine-tuning teaching the model something new. No time-reversed partner.
    MoveDiagonal,
};

/// The base actions, the classes the demo model is trained on (MoveDiagonal is not one of them).
constexpr int kSyntheticActionCount = 10;

/// Class name of "no action": stretches where nothing happens, and windows that an action covers for
/// less than half of their span. A model whose labels contain it has a background class.
QString backgroundClassName();
/// Class index of the background in a model trained with one: after the actions.
constexpr int kSyntheticBackgroundIndex = kSyntheticActionCount;

/// Snake-case class name ("move_left", ...), as written in label maps and model configs.
QString syntheticActionName(SyntheticAction action);
std::optional<SyntheticAction> parseSyntheticAction(const QString& name);
/// All base class names in class-id order.
QStringList syntheticActionNames();
/// The action a demo video can show that the demo model was never trained on.
constexpr SyntheticAction kNovelSyntheticAction = SyntheticAction::MoveDiagonal;
/// The class names a model trained on synthetic data has: the actions, then the background when
/// `withBackground`.
QStringList syntheticClassNames(bool withBackground);
SyntheticAction syntheticActionFromIndex(int index);
int syntheticActionIndex(SyntheticAction action);
/// The other member of the action's pair: the same motion played backwards (the novel action has none
/// and is its own).
SyntheticAction timeReversed(SyntheticAction action);
/// True for the member of a pair whose frames are the rendered motion played backwards.
bool isReversedMember(SyntheticAction action);

} // namespace saccade
