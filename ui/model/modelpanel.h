#pragma once

#include "core/inference/inferenceworker.h"

#include <QHash>
#include <QWidget>

#include <vector>

class QComboBox;
class QGroupBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace saccade {

struct ClassRecall;
struct FinetuneSummary;
class ProposalSettingsBox;

/// What the user asked fine-tuning to do.
struct FinetuneChoice {
    enum Mode { Head, NewClasses, AllWeights };
    bool headOnly = true;
    /// Only the head rows of classes the model gains learn (FinetuneOptions::onlyNewClasses).
    bool onlyNewClasses = false;
    int epochs = 5;
};

/// The model dock: open a checkpoint file or a Hugging Face folder; what the loaded model is (format,
/// hash, architecture, input, parameter count, preset, precision and whether this CPU runs bfloat16
/// natively, threads) and its classes; fine-tune it on the project's accepted labels, then compare
/// val accuracy before and after and load the result. Dumb: setters plus intent signals.
class ModelPanel : public QWidget {
    Q_OBJECT
public:
    explicit ModelPanel(QWidget* parent = nullptr);

    /// A model is being loaded from `source`.
    void setLoading(const QString& source);
    void setModel(const ModelSummary& summary);
    /// Loading failed; `text` says why and what to do.
    void setLoadFailed(const QString& text);
    bool hasModel() const { return m_hasModel; }

    FinetuneChoice finetuneChoice() const;
    /// A hint under the Fine-tune button (e.g. that the project will be saved first); empty hides it.
    void setFinetuneNote(const QString& note);
    void setFinetuneRunning(bool running);
    void setFinetuneResult(const FinetuneSummary& summary);
    void setFinetuneError(const QString& text);

    /// The value of the details row `name` ("Parameters", "Precision", ...), for tests.
    QString detail(const QString& name) const;
    QListWidget* labelList() const { return m_labels; }
    QPushButton* openFileButton() const { return m_openFile; }
    QPushButton* openFolderButton() const { return m_openFolder; }
    QPushButton* finetuneButton() const { return m_finetune; }
    QPushButton* loadFinetunedButton() const { return m_loadFinetuned; }
    QLabel* finetuneResultLabel() const { return m_finetuneResult; }
    QComboBox* finetuneModeBox() const { return m_finetuneMode; }
    ProposalSettingsBox* proposalSettings() const { return m_proposals; }

Q_SIGNALS:
    void openFileRequested();
    void openFolderRequested();
    void finetuneRequested(const saccade::FinetuneChoice& choice);
    void loadFinetunedRequested(const QString& directory);

private:
    static QString classRecallTable(const std::vector<ClassRecall>& recalls);
    void setDetail(const QString& name, const QString& value, const QString& toolTip = QString());
    void updateFinetuneEnabled();

    QLabel* m_title = nullptr;
    QLabel* m_source = nullptr;
    QPushButton* m_openFile = nullptr;
    QPushButton* m_openFolder = nullptr;
    QWidget* m_details = nullptr;
    /// Value labels of the details form by their (untranslated) row name.
    QHash<QString, QLabel*> m_detailValues;
    QGroupBox* m_labelsBox = nullptr;
    ProposalSettingsBox* m_proposals = nullptr;
    QListWidget* m_labels = nullptr;
    QComboBox* m_finetuneMode = nullptr;
    QSpinBox* m_epochs = nullptr;
    QPushButton* m_finetune = nullptr;
    QLabel* m_finetuneNote = nullptr;
    QLabel* m_finetuneResult = nullptr;
    QPushButton* m_loadFinetuned = nullptr;
    QString m_finetunedDirectory;
    QString m_note;
    bool m_hasModel = false;
    bool m_finetuning = false;
};

} // namespace saccade

Q_DECLARE_METATYPE(saccade::FinetuneChoice)
