#pragma once

#include <QColor>
#include <QString>
#include <QVector>
#include <QWidget>

class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QLabel;

namespace saccade {

class TopKView;

/// A label as the panel lists it: name, colour and number key (0-9, or -1 for none).
struct LabelEntry {
    QString name;
    QColor color;
    int key = -1;
};

/// One class of the model's current prediction.
struct ClassScore {
    QString name;
    double probability = 0.0;
    QColor color;
};

/// The labels of the project (searchable, with colour swatches and number keys) and the current
/// window's top-k predictions as probability bars. Dumb: setters plus intent signals.
class LabelsPanel : public QWidget {
    Q_OBJECT
public:
    explicit LabelsPanel(QWidget* parent = nullptr);

    void setLabels(const QVector<LabelEntry>& labels);
    /// Highlights the label of the selected segment; empty for none.
    void setCurrentLabel(const QString& name);
    /// The model's top-k for the current window; empty hides the bars.
    void setTopK(const QVector<ClassScore>& scores, const QString& caption = QString());
    const QVector<ClassScore>& topK() const;
    /// Names of the labels the search leaves visible, in order.
    QStringList visibleLabels() const;
    QLineEdit* searchField() const { return m_search; }

Q_SIGNALS:
    /// The user picked a label (double-click or Enter) to apply to the selection.
    void labelActivated(const QString& name);

private:
    void applyFilter();

    QLineEdit* m_search = nullptr;
    QListWidget* m_list = nullptr;
    QLabel* m_topKCaption = nullptr;
    TopKView* m_topK = nullptr;
};

} // namespace saccade
