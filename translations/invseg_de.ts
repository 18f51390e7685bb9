<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
    <context>
        <name>QObject</name>
        <message>
            <source>%1 is not a labelme file</source>
            <translation>%1 ist keine labelme-Datei</translation>
        </message>
        <message>
            <source>%1: missing or bad imageWidth / imageHeight</source>
            <translation>%1: imageWidth / imageHeight fehlt oder ist ungültig</translation>
        </message>
        <message>
            <source>%1 was not written by InvSeg Studio and was left as it is</source>
            <translation>%1 wurde nicht von InvSeg Studio geschrieben und blieb unverändert</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::AboutDialog</name>
        <message>
            <source>About InvSeg Studio</source>
            <translation>Über InvSeg Studio</translation>
        </message>
        <message>
            <source>&lt;h3&gt;InvSeg Studio %1&lt;/h3&gt;&lt;p&gt;Semantic segmentation by test-time prompt inversion on Stable Diffusion.&lt;/p&gt;&lt;p&gt;%2&lt;br&gt;Qt %3&lt;br&gt;Devices: %4&lt;/p&gt;&lt;p&gt;Model: %5&lt;br&gt;Running on: %6&lt;/p&gt;</source>
            <translation>&lt;h3&gt;InvSeg Studio %1&lt;/h3&gt;&lt;p&gt;Semantische Segmentierung durch Prompt-Inversion zur Testzeit mit Stable Diffusion.&lt;/p&gt;&lt;p&gt;%2&lt;br&gt;Qt %3&lt;br&gt;Geräte: %4&lt;/p&gt;&lt;p&gt;Modell: %5&lt;br&gt;Läuft auf: %6&lt;/p&gt;</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::AttentionInspectorDialog</name>
        <message>
            <source>Attention Inspector</source>
            <translation>Attention-Inspektor</translation>
        </message>
        <message>
            <source>Inspect</source>
            <translation>Untersuchen</translation>
        </message>
        <message>
            <source>Timestep:</source>
            <translation>Zeitschritt:</translation>
        </message>
        <message>
            <source>Level:</source>
            <translation>Ebene:</translation>
        </message>
        <message>
            <source>Colour map:</source>
            <translation>Farbskala:</translation>
        </message>
        <message>
            <source>Weighted (as the run)</source>
            <translation>Gewichtet (wie im Lauf)</translation>
        </message>
        <message>
            <source>Level %1</source>
            <translation>Ebene %1</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::BatchRunner</name>
        <message>
            <source>Segmenting all images…</source>
            <translation>Alle Bilder werden segmentiert…</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <source>Segmenting %1 (%2 of %3)…</source>
            <translation>%1 wird segmentiert (%2 von %3)…</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::ClassPanel</name>
        <message>
            <source>Presets…</source>
            <translation>Vorlagen…</translation>
        </message>
        <message>
            <source>Add a class</source>
            <translation>Klasse hinzufügen</translation>
        </message>
        <message>
            <source>Remove the selected class</source>
            <translation>Ausgewählte Klasse entfernen</translation>
        </message>
        <message>
            <source>Move up</source>
            <translation>Nach oben</translation>
        </message>
        <message>
            <source>Move down</source>
            <translation>Nach unten</translation>
        </message>
        <message>
            <source>Colour</source>
            <translation>Farbe</translation>
        </message>
        <message>
            <source>Choose the colour of the selected class</source>
            <translation>Farbe der ausgewählten Klasse wählen</translation>
        </message>
        <message>
            <source>Import…</source>
            <translation>Importieren…</translation>
        </message>
        <message>
            <source>Export…</source>
            <translation>Exportieren…</translation>
        </message>
        <message>
            <source>class %1</source>
            <translation>Klasse %1</translation>
        </message>
        <message>
            <source>Background is always present and always label 0</source>
            <translation>Hintergrund ist immer vorhanden und immer Label 0</translation>
        </message>
        <message>
            <source>Add class</source>
            <translation>Klasse hinzufügen</translation>
        </message>
        <message>
            <source>Class name:</source>
            <translation>Klassenname:</translation>
        </message>
        <message>
            <source>Class colour</source>
            <translation>Klassenfarbe</translation>
        </message>
        <message>
            <source>Cannot read %1: %2</source>
            <translation>%1 kann nicht gelesen werden: %2</translation>
        </message>
        <message>
            <source>Class preset</source>
            <translation>Klassenvorlage</translation>
        </message>
        <message>
            <source>Import class list</source>
            <translation>Klassenliste importieren</translation>
        </message>
        <message>
            <source>Class lists (*.txt);;All files (*)</source>
            <translation>Klassenlisten (*.txt);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>Export class list</source>
            <translation>Klassenliste exportieren</translation>
        </message>
        <message>
            <source>Class lists (*.txt)</source>
            <translation>Klassenlisten (*.txt)</translation>
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>%1 kann nicht geschrieben werden: %2</translation>
        </message>
        <message>
            <source>Untick to hide this class on the canvas</source>
            <translation>Abwählen, um diese Klasse auf der Zeichenfläche auszublenden</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::ImageCanvas</name>
        <message>
            <source>Open an image (Ctrl+O) or drop files here</source>
            <translation>Bild öffnen (Strg+O) oder Dateien hierher ziehen</translation>
        </message>
        <message>
            <source>Fill</source>
            <translation>Füllen</translation>
        </message>
        <message>
            <source>Erase</source>
            <translation>Radieren</translation>
        </message>
        <message>
            <source>Brush stroke</source>
            <translation>Pinselstrich</translation>
        </message>
        <message>
            <source>Polygon</source>
            <translation>Polygon</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::LossChart</name>
        <message>
            <source>Total</source>
            <translation>Gesamt</translation>
        </message>
        <message>
            <source>CSC</source>
            <translation>CSC</translation>
        </message>
        <message>
            <source>Entropy</source>
            <translation>Entropie</translation>
        </message>
        <message>
            <source>Step</source>
            <translation>Schritt</translation>
        </message>
        <message>
            <source>Loss</source>
            <translation>Verlust</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::MainWindow</name>
        <message>
            <source>No model</source>
            <translation>Kein Modell</translation>
        </message>
        <message>
            <source>No model found. The bundled model (resources/models/toy) is missing: choose a Stable Diffusion model with File ▸ Choose Model Folder… or Choose Model File…</source>
            <translation>Kein Modell gefunden. Das mitgelieferte Modell (resources/models/toy) fehlt: Wählen Sie ein Stable-Diffusion-Modell über Datei ▸ Modellordner wählen… oder Modelldatei wählen…</translation>
        </message>
        <message>
            <source>No model loaded</source>
            <translation>Kein Modell geladen</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>Bilder</translation>
        </message>
        <message>
            <source>Classes</source>
            <translation>Klassen</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>Ausführen</translation>
        </message>
        <message>
            <source>Live views</source>
            <translation>Live-Ansichten</translation>
        </message>
        <message>
            <source>Losses</source>
            <translation>Verluste</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Datei</translation>
        </message>
        <message>
            <source>&amp;Open Images…</source>
            <translation>Bilder ö&amp;ffnen…</translation>
        </message>
        <message>
            <source>Ctrl+O</source>
            <translation>Ctrl+O</translation>
        </message>
        <message>
            <source>Open &amp;Folder…</source>
            <translation>&amp;Ordner öffnen…</translation>
        </message>
        <message>
            <source>Ctrl+U</source>
            <translation>Ctrl+U</translation>
        </message>
        <message>
            <source>Open &amp;Recent</source>
            <translation>&amp;Zuletzt geöffnet</translation>
        </message>
        <message>
            <source>Choose Model &amp;Folder…</source>
            <translation>Modell&amp;ordner wählen…</translation>
        </message>
        <message>
            <source>Choose Model F&amp;ile…</source>
            <translation>Modell&amp;datei wählen…</translation>
        </message>
        <message>
            <source>&amp;Export…</source>
            <translation>&amp;Exportieren…</translation>
        </message>
        <message>
            <source>Ctrl+S</source>
            <translation>Ctrl+S</translation>
        </message>
        <message>
            <source>Export &amp;All Labelled Images…</source>
            <translation>&amp;Alle beschrifteten Bilder exportieren…</translation>
        </message>
        <message>
            <source>Export all into</source>
            <translation>Alle exportieren nach</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>Export</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Beenden</translation>
        </message>
        <message>
            <source>Ctrl+Q</source>
            <translation>Ctrl+Q</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>&amp;Bearbeiten</translation>
        </message>
        <message>
            <source>&amp;Undo</source>
            <translation>&amp;Rückgängig</translation>
        </message>
        <message>
            <source>Ctrl+Z</source>
            <translation>Ctrl+Z</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>&amp;Wiederholen</translation>
        </message>
        <message>
            <source>Ctrl+Shift+Z</source>
            <translation>Ctrl+Shift+Z</translation>
        </message>
        <message>
            <source>Ctrl+Y</source>
            <translation>Ctrl+Y</translation>
        </message>
        <message>
            <source>&amp;View / Pan</source>
            <translation>&amp;Ansicht / Verschieben</translation>
        </message>
        <message>
            <source>V</source>
            <translation>V</translation>
        </message>
        <message>
            <source>&amp;Brush</source>
            <translation>&amp;Pinsel</translation>
        </message>
        <message>
            <source>B</source>
            <translation>B</translation>
        </message>
        <message>
            <source>&amp;Eraser</source>
            <translation>&amp;Radiergummi</translation>
        </message>
        <message>
            <source>E</source>
            <translation>E</translation>
        </message>
        <message>
            <source>&amp;Fill</source>
            <translation>&amp;Füllen</translation>
        </message>
        <message>
            <source>F</source>
            <translation>F</translation>
        </message>
        <message>
            <source>Clear Labels</source>
            <translation>Labels löschen</translation>
        </message>
        <message>
            <source>Clear labels</source>
            <translation>Labels löschen</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Ansicht</translation>
        </message>
        <message>
            <source>Zoom &amp;In</source>
            <translation>Ver&amp;größern</translation>
        </message>
        <message>
            <source>Ctrl+=</source>
            <translation>Ctrl+=</translation>
        </message>
        <message>
            <source>Zoom &amp;Out</source>
            <translation>Ver&amp;kleinern</translation>
        </message>
        <message>
            <source>Ctrl+-</source>
            <translation>Ctrl+-</translation>
        </message>
        <message>
            <source>&amp;Fit to Window</source>
            <translation>An &amp;Fenster anpassen</translation>
        </message>
        <message>
            <source>Ctrl+F</source>
            <translation>Ctrl+F</translation>
        </message>
        <message>
            <source>&amp;Actual Size</source>
            <translation>&amp;Originalgröße</translation>
        </message>
        <message>
            <source>Ctrl+0</source>
            <translation>Ctrl+0</translation>
        </message>
        <message>
            <source>Show &amp;Mask</source>
            <translation>&amp;Maske anzeigen</translation>
        </message>
        <message>
            <source>Ctrl+M</source>
            <translation>Ctrl+M</translation>
        </message>
        <message>
            <source>&amp;Next Image</source>
            <translation>&amp;Nächstes Bild</translation>
        </message>
        <message>
            <source>D</source>
            <translation>D</translation>
        </message>
        <message>
            <source>&amp;Previous Image</source>
            <translation>&amp;Vorheriges Bild</translation>
        </message>
        <message>
            <source>A</source>
            <translation>A</translation>
        </message>
        <message>
            <source>&amp;Run</source>
            <translation>&amp;Ausführen</translation>
        </message>
        <message>
            <source>&amp;Segment Image</source>
            <translation>Bild &amp;segmentieren</translation>
        </message>
        <message>
            <source>F5</source>
            <translation>F5</translation>
        </message>
        <message>
            <source>S&amp;top</source>
            <translation>&amp;Stopp</translation>
        </message>
        <message>
            <source>Esc</source>
            <translation>Esc</translation>
        </message>
        <message>
            <source>Segment &amp;All Images</source>
            <translation>&amp;Alle Bilder segmentieren</translation>
        </message>
        <message>
            <source>Ctrl+Shift+R</source>
            <translation>Ctrl+Shift+R</translation>
        </message>
        <message>
            <source>Attention &amp;Inspector…</source>
            <translation>Attention-&amp;Inspektor…</translation>
        </message>
        <message>
            <source>&amp;Settings</source>
            <translation>&amp;Einstellungen</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Sprache</translation>
        </message>
        <message>
            <source>System</source>
            <translation>System</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Hilfe</translation>
        </message>
        <message>
            <source>&amp;About InvSeg Studio</source>
            <translation>Ü&amp;ber InvSeg Studio</translation>
        </message>
        <message>
            <source>Main</source>
            <translation>Haupt</translation>
        </message>
        <message>
            <source>Brush:</source>
            <translation>Pinsel:</translation>
        </message>
        <message>
            <source>Mask opacity:</source>
            <translation>Maskendeckkraft:</translation>
        </message>
        <message>
            <source>No new images found</source>
            <translation>Keine neuen Bilder gefunden</translation>
        </message>
        <message>
            <source>ignore</source>
            <translation>ignoriert</translation>
        </message>
        <message>
            <source>label %1</source>
            <translation>Label %1</translation>
        </message>
        <message>
            <source>%1, %2 — %3</source>
            <translation>%1, %2 — %3</translation>
        </message>
        <message>
            <source>%1 — InvSeg Studio</source>
            <translation>%1 — InvSeg Studio</translation>
        </message>
        <message>
            <source>InvSeg Studio</source>
            <translation>InvSeg Studio</translation>
        </message>
        <message>
            <source>Loading %1…</source>
            <translation>%1 wird geladen…</translation>
        </message>
        <message>
            <source>%1 (%2, %3, %4 px)</source>
            <translation>%1 (%2, %3, %4 px)</translation>
        </message>
        <message>
            <source>Model loaded: %1</source>
            <translation>Modell geladen: %1</translation>
        </message>
        <message>
            <source>Could not load the model %1: %2</source>
            <translation>Das Modell %1 konnte nicht geladen werden: %2</translation>
        </message>
        <message>
            <source>Choose a diffusers model folder</source>
            <translation>Diffusers-Modellordner wählen</translation>
        </message>
        <message>
            <source>Choose a Stable Diffusion checkpoint</source>
            <translation>Stable-Diffusion-Checkpoint wählen</translation>
        </message>
        <message>
            <source>Checkpoints (*.safetensors *.ckpt *.pt *.bin);;All files (*)</source>
            <translation>Checkpoints (*.safetensors *.ckpt *.pt *.bin);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>Open an image first.</source>
            <translation>Öffnen Sie zuerst ein Bild.</translation>
        </message>
        <message>
            <source>The model is still loading.</source>
            <translation>Das Modell wird noch geladen.</translation>
        </message>
        <message>
            <source>No model is loaded: choose one in the File menu.</source>
            <translation>Kein Modell geladen: Wählen Sie eines im Menü Datei.</translation>
        </message>
        <message>
            <source>Add at least one class.</source>
            <translation>Fügen Sie mindestens eine Klasse hinzu.</translation>
        </message>
        <message>
            <source>A run is in progress.</source>
            <translation>Ein Lauf ist im Gange.</translation>
        </message>
        <message>
            <source>Segmentation</source>
            <translation>Segmentierung</translation>
        </message>
        <message>
            <source>Segmentation failed: %1</source>
            <translation>Segmentierung fehlgeschlagen: %1</translation>
        </message>
        <message>
            <source>Stopped.</source>
            <translation>Gestoppt.</translation>
        </message>
        <message>
            <source>Run stopped</source>
            <translation>Lauf gestoppt</translation>
        </message>
        <message>
            <source>The current image has no labels to export.</source>
            <translation>Das aktuelle Bild hat keine Labels zum Exportieren.</translation>
        </message>
        <message>
            <source>Exported %1 to %2</source>
            <translation>%1 nach %2 exportiert</translation>
        </message>
        <message>
            <source>No image has labels to export.</source>
            <translation>Kein Bild hat Labels zum Exportieren.</translation>
        </message>
        <message>
            <source>Export into folder</source>
            <translation>In Ordner exportieren</translation>
        </message>
        <message>
            <source>Images (%1);;All files (*)</source>
            <translation>Bilder (%1);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>Open images</source>
            <translation>Bilder öffnen</translation>
        </message>
        <message>
            <source>Open a folder of images</source>
            <translation>Bilderordner öffnen</translation>
        </message>
        <message>
            <source>none</source>
            <translation>keines</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Sprache</translation>
        </message>
        <message>
            <source>The language changes when InvSeg Studio is restarted.</source>
            <translation>Die Sprache wird nach einem Neustart von InvSeg Studio geändert.</translation>
        </message>
        <message>
            <source>Open an image, load a model and add a class first.</source>
            <translation>Öffnen Sie zuerst ein Bild, laden Sie ein Modell und fügen Sie eine Klasse hinzu.</translation>
        </message>
        <message>
            <source>Classes from %1</source>
            <translation>Klassen aus %1</translation>
        </message>
        <message>
            <source>Remove class</source>
            <translation>Klasse entfernen</translation>
        </message>
        <message>
            <source>Pixels are labelled "%1". Removing the class makes them background. Remove it?</source>
            <translation>Pixel sind als „%1“ gelabelt. Wird die Klasse entfernt, werden sie Hintergrund. Entfernen?</translation>
        </message>
        <message>
            <source>Segmenting %1 on %2 (%3)…</source>
            <translation>%1 wird auf %2 (%3) segmentiert…</translation>
        </message>
        <message>
            <source>Segmented %1 in %2 s on %3 (%4)</source>
            <translation>%1 in %2 s auf %3 (%4) segmentiert</translation>
        </message>
        <message>
            <source>, peak GPU memory %1 MiB</source>
            <translation>, GPU-Speicherspitze %1 MiB</translation>
        </message>
        <message>
            <source>unlabelled</source>
            <translation>ohne Labels</translation>
        </message>
        <message>
            <source>segmented</source>
            <translation>segmentiert</translation>
        </message>
        <message>
            <source>edited</source>
            <translation>bearbeitet</translation>
        </message>
        <message>
            <source>saved</source>
            <translation>gespeichert</translation>
        </message>
        <message>
            <source>Could not read the saved labels of %1: %2</source>
            <translation>Die gespeicherten Labels von %1 konnten nicht gelesen werden: %2</translation>
        </message>
        <message>
            <source>%1 does not have the size of %2: not used</source>
            <translation>%1 hat nicht die Größe von %2: nicht verwendet</translation>
        </message>
        <message>
            <source>Labels read from %1</source>
            <translation>Labels aus %1 gelesen</translation>
        </message>
        <message>
            <source>%1 — %2</source>
            <translation>%1 — %2</translation>
        </message>
        <message>
            <source>Save labels</source>
            <translation>Labels speichern</translation>
        </message>
        <message>
            <source>The labels of %1 could not be saved: %2
They are kept; nothing was lost.</source>
            <translation>Die Labels von %1 konnten nicht gespeichert werden: %2
Sie bleiben erhalten; nichts ging verloren.</translation>
        </message>
        <message>
            <source>Unsaved labels</source>
            <translation>Ungespeicherte Labels</translation>
        </message>
        <message>
            <source>The labels of %1 have changes that are not saved.</source>
            <translation>Die Labels von %1 haben ungespeicherte Änderungen.</translation>
        </message>
        <message>
            <source>The labels of %1 could not be saved: %2</source>
            <translation>Die Labels von %1 konnten nicht gespeichert werden: %2</translation>
        </message>
        <message>
            <source>The current image has no labels to save.</source>
            <translation>Das aktuelle Bild hat keine Labels zum Speichern.</translation>
        </message>
        <message>
            <source>Could not save the labels of %1: %2</source>
            <translation>Die Labels von %1 konnten nicht gespeichert werden: %2</translation>
        </message>
        <message>
            <source>Saved %1</source>
            <translation>%1 gespeichert</translation>
        </message>
        <message>
            <source>Saved %1 (%2)</source>
            <translation>%1 gespeichert (%2)</translation>
        </message>
        <message>
            <source>Segment All keeps %1 hand-edited image(s) as they are</source>
            <translation>„Alle segmentieren“ lässt %1 von Hand bearbeitete(s) Bild(er) unverändert</translation>
        </message>
        <message>
            <source>&amp;Save Labels</source>
            <translation>Labels &amp;speichern</translation>
        </message>
        <message>
            <source>Ctrl+E</source>
            <translation>Ctrl+E</translation>
        </message>
        <message>
            <source>&amp;Polygon</source>
            <translation>&amp;Polygon</translation>
        </message>
        <message>
            <source>P</source>
            <translation>P</translation>
        </message>
        <message>
            <source>Polygon: click the corners, Enter or double-click fills with the class, Esc cancels</source>
            <translation>Polygon: Ecken anklicken, Eingabe oder Doppelklick füllt mit der Klasse, Esc bricht ab</translation>
        </message>
        <message>
            <source>S&amp;maller Brush</source>
            <translation>&amp;Kleinerer Pinsel</translation>
        </message>
        <message>
            <source>[</source>
            <translation>[</translation>
        </message>
        <message>
            <source>&amp;Larger Brush</source>
            <translation>&amp;Größerer Pinsel</translation>
        </message>
        <message>
            <source>]</source>
            <translation>]</translation>
        </message>
        <message>
            <source>Save Labels &amp;Automatically</source>
            <translation>Labels &amp;automatisch speichern</translation>
        </message>
        <message>
            <source>Save an image's labels when moving to another image or quitting (else ask)</source>
            <translation>Die Labels eines Bildes beim Wechsel zu einem anderen Bild oder beim Beenden speichern (sonst nachfragen)</translation>
        </message>
        <message>
            <source>&amp;Keyboard Shortcuts…</source>
            <translation>&amp;Tastenkürzel…</translation>
        </message>
        <message>
            <source>F1</source>
            <translation>F1</translation>
        </message>
        <message>
            <source>Brush size in image pixels ([ and ], or the mouse wheel while painting)</source>
            <translation>Pinselgröße in Bildpixeln ([ und ] oder das Mausrad beim Malen)</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::MapGallery</name>
        <message>
            <source>Colour map:</source>
            <translation>Farbskala:</translation>
        </message>
        <message>
            <source>Before</source>
            <translation>Vorher</translation>
        </message>
        <message>
            <source>Now</source>
            <translation>Jetzt</translation>
        </message>
        <message>
            <source>Anchors</source>
            <translation>Anker</translation>
        </message>
        <message>
            <source>before</source>
            <translation>vorher</translation>
        </message>
        <message>
            <source>now</source>
            <translation>jetzt</translation>
        </message>
        <message>
            <source>anchors</source>
            <translation>Anker</translation>
        </message>
        <message>
            <source>Label map</source>
            <translation>Labelkarte</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::MapTile</name>
        <message>
            <source>Click to enlarge</source>
            <translation>Zum Vergrößern klicken</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::RunPanel</name>
        <message>
            <source>Optimisation steps K</source>
            <translation>Optimierungsschritte K</translation>
        </message>
        <message>
            <source>Adam learning rate</source>
            <translation>Adam-Lernrate</translation>
        </message>
        <message>
            <source>Diffusion timestep t of the noised latent</source>
            <translation>Diffusionszeitschritt t des verrauschten Latents</translation>
        </message>
        <message>
            <source>1 = identity only, 2 = identity and horizontal flip</source>
            <translation>1 = nur Original, 2 = Original und horizontal gespiegelt</translation>
        </message>
        <message>
            <source>Weight λ of the entropy loss</source>
            <translation>Gewicht λ des Entropieverlusts</translation>
        </message>
        <message>
            <source>Baseline only (no inversion)</source>
            <translation>Nur Baseline (keine Inversion)</translation>
        </message>
        <message>
            <source>Steps</source>
            <translation>Schritte</translation>
        </message>
        <message>
            <source>Learning rate</source>
            <translation>Lernrate</translation>
        </message>
        <message>
            <source>Timestep</source>
            <translation>Zeitschritt</translation>
        </message>
        <message>
            <source>Views</source>
            <translation>Ansichten</translation>
        </message>
        <message>
            <source>λ (entropy)</source>
            <translation>λ (Entropie)</translation>
        </message>
        <message>
            <source>Device</source>
            <translation>Gerät</translation>
        </message>
        <message>
            <source>Precision</source>
            <translation>Genauigkeit</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>Ausführen</translation>
        </message>
        <message>
            <source>Segment the current image (F5)</source>
            <translation>Aktuelles Bild segmentieren (F5)</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>Stopp</translation>
        </message>
        <message>
            <source>Step %1 / %2 · %3 ms/step · ETA %4 s</source>
            <translation>Schritt %1 / %2 · %3 ms/Schritt · Rest %4 s</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::SegmentationWorker</name>
        <message>
            <source>Cannot read or write a file: %1</source>
            <translation>Eine Datei kann nicht gelesen oder geschrieben werden: %1</translation>
        </message>
        <message>
            <source>A file is damaged or not what it claims to be: %1</source>
            <translation>Eine Datei ist beschädigt oder nicht, was sie zu sein vorgibt: %1</translation>
        </message>
        <message>
            <source>The checkpoint does not fit this kind of model: %1</source>
            <translation>Der Checkpoint passt nicht zu dieser Modellart: %1</translation>
        </message>
        <message>
            <source>Invalid input: %1</source>
            <translation>Ungültige Eingabe: %1</translation>
        </message>
        <message>
            <source>Not supported by this build: %1</source>
            <translation>Von diesem Build nicht unterstützt: %1</translation>
        </message>
        <message>
            <source>unknown error while loading %1</source>
            <translation>unbekannter Fehler beim Laden von %1</translation>
        </message>
        <message>
            <source>No model is loaded.</source>
            <translation>Kein Modell geladen.</translation>
        </message>
        <message>
            <source>The image is empty.</source>
            <translation>Das Bild ist leer.</translation>
        </message>
        <message>
            <source>unknown error while segmenting</source>
            <translation>unbekannter Fehler beim Segmentieren</translation>
        </message>
        <message>
            <source>cpu</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>Runs on the CPU: this build has no CUDA (make run CUDA=1 builds the GPU version).</source>
            <translation>Läuft auf der CPU: Diese Version hat kein CUDA (make run CUDA=1 baut die GPU-Version).</translation>
        </message>
        <message>
            <source>Runs on the CPU: no NVIDIA driver was found.</source>
            <translation>Läuft auf der CPU: Es wurde kein NVIDIA-Treiber gefunden.</translation>
        </message>
        <message>
            <source>Runs on the CPU: the NVIDIA driver found no GPU to use.</source>
            <translation>Läuft auf der CPU: Der NVIDIA-Treiber hat keine nutzbare GPU gefunden.</translation>
        </message>
        <message>
            <source>Runs on the CPU: the NVIDIA driver supports CUDA %1, older than the CUDA %2 this build needs. Update the driver to use the GPU.</source>
            <translation>Läuft auf der CPU: Der NVIDIA-Treiber unterstützt CUDA %1, älter als das CUDA %2, das diese Version braucht. Aktualisieren Sie den Treiber, um die GPU zu nutzen.</translation>
        </message>
        <message>
            <source>Runs on the CPU: CUDA could not be started.</source>
            <translation>Läuft auf der CPU: CUDA konnte nicht gestartet werden.</translation>
        </message>
        <message>
            <source>Out of memory: %1</source>
            <translation>Zu wenig Speicher: %1</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::ShortcutsDialog</name>
        <message>
            <source>Keyboard Shortcuts</source>
            <translation>Tastenkürzel</translation>
        </message>
        <message>
            <source>Pan</source>
            <translation>Verschieben</translation>
        </message>
        <message>
            <source>Space + drag, middle drag, or the wheel</source>
            <translation>Leertaste + Ziehen, Ziehen mit der mittleren Taste oder das Mausrad</translation>
        </message>
        <message>
            <source>Zoom at the cursor</source>
            <translation>Am Cursor zoomen</translation>
        </message>
        <message>
            <source>Ctrl + wheel</source>
            <translation>Strg + Mausrad</translation>
        </message>
        <message>
            <source>Brush size while painting</source>
            <translation>Pinselgröße beim Malen</translation>
        </message>
        <message>
            <source>Wheel, [ and ]</source>
            <translation>Mausrad, [ und ]</translation>
        </message>
        <message>
            <source>Polygon: add a corner / fill / cancel</source>
            <translation>Polygon: Ecke hinzufügen / füllen / abbrechen</translation>
        </message>
        <message>
            <source>Click / Enter or double-click / Esc</source>
            <translation>Klick / Eingabe oder Doppelklick / Esc</translation>
        </message>
        <message>
            <source>Command</source>
            <translation>Befehl</translation>
        </message>
        <message>
            <source>Shortcut</source>
            <translation>Tastenkürzel</translation>
        </message>
    </context>
</TS>
