#pragma once

#include <QHash>
#include <QKeySequence>
#include <QList>
#include <QString>

#include <vector>

namespace saccade {

/// Every command the user can bind to a key. Values are stable only within one run; settings store
/// the string id of KeyMap::id().
enum class Command {
    PlayPause = 1,
    ShuttleBackward,
    ShuttleForward,
    PreviousFrame,
    NextFrame,
    BackOneSecond,
    ForwardOneSecond,
    GoToStart,
    GoToEnd,
    SpeedDown,
    SpeedUp,
    SpeedReset,
    MarkIn,
    MarkOut,
    CreateSegment,
    Label1,
    Label2,
    Label3,
    Label4,
    Label5,
    Label6,
    Label7,
    Label8,
    Label9,
    Label10,
    PreviousSegment,
    NextSegment,
    SplitSegment,
    MergeSegment,
    DeleteSegment,
    LoopSegment,
    AcceptProposal,
    RejectProposal,
    NextReview,
    PreviousReview,
    Undo,
    Redo,
    ToggleOverlay,
    PreviousLayer,
    NextLayer,
    PreviousHead,
    NextHead,
    ZoomIn,
    ZoomOut,
    ZoomFit,
    OpenVideo,
    Preferences,
};

/// The key bindings of every Command: defaults from the design (mpv/Kdenlive conventions) plus the
/// user's overrides. A value type; the main window applies it to its QActions.
class KeyMap {
public:
    struct Entry {
        Command command = Command::PlayPause;
        QString id;
        QString text;
        QString group;
        QList<QKeySequence> defaults;
    };

    KeyMap();

    /// All commands in menu order.
    static const std::vector<Entry>& entries();
    static const Entry& entry(Command command);
    static QString id(Command command);
    /// Finds the command with this id; false when there is none.
    static bool commandForId(const QString& id, Command* command);

    QList<QKeySequence> sequences(Command command) const;
    void setSequences(Command command, const QList<QKeySequence>& sequences);
    void resetToDefaults();
    bool isDefault(Command command) const;

    /// The commands other than `except` already bound to `sequence`.
    QList<Command> conflicts(const QKeySequence& sequence, Command except) const;
    /// Finds the command bound to `sequence` (first in menu order); false when there is none.
    bool commandFor(const QKeySequence& sequence, Command* command) const;

    /// Only the bindings that differ from the defaults, by id (what settings store).
    QHash<QString, QList<QKeySequence>> overrides() const;
    /// Starts from the defaults and applies stored overrides; unknown ids are ignored.
    void applyOverrides(const QHash<QString, QList<QKeySequence>>& overrides);

    bool operator==(const KeyMap& other) const { return m_sequences == other.m_sequences; }
    bool operator!=(const KeyMap& other) const { return !(*this == other); }

private:
    QHash<Command, QList<QKeySequence>> m_sequences;
};

} // namespace saccade
