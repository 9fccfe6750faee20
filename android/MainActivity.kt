// Tessera's Android activity, used by dx 0.7.10 in place of its one-line template
// (Dioxus.toml: android_main_activity; dx copies it verbatim, without templating).
// Rust calls the methods below over JNI (src/platform/android.rs names each with its
// descriptor; tests/phone_config.rs checks that both sides agree).
//
// - Screen privacy: FLAG_SECURE is set before the first frame unless the user allowed
//   screenshots in Settings, so screenshots, screen recording and the recent-apps picture
//   show no codes.
// - Files: backups and exports go to a document the user picks with the system's own dialog
//   (Storage Access Framework); Rust hands the bytes over and reads them back to verify.
// - Clipboard: codes are marked sensitive (no preview, no clipboard history), and cleared
//   later only if the clipboard still holds that code.
package dev.dioxus.main

import android.app.Activity
import android.content.ClipData
import android.content.ClipDescription
import android.content.ClipboardManager
import android.content.Context
import android.content.Intent
import android.net.Uri
import android.os.Bundle
import android.os.Looper
import android.os.PersistableBundle
import android.provider.OpenableColumns
import android.view.WindowManager
import java.io.ByteArrayOutputStream
import java.io.IOException
import java.util.concurrent.CountDownLatch
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

typealias BuildConfig = app.tessera.authenticator.BuildConfig

class MainActivity : WryActivity() {
    private val pickerResults = LinkedBlockingQueue<PickerResult>()
    private val pickerLock = Any()
    @Volatile private var pendingClear: String? = null

    private class PickerResult(val uri: Uri?)

    override fun onCreate(savedInstanceState: Bundle?) {
        // Before super.onCreate: that starts Rust and the web view, the first frame included.
        applyScreenshotPolicy(prefs().getBoolean(SCREENSHOTS_ALLOWED, false))
        super.onCreate(savedInstanceState)
    }

    @Deprecated("The result of the system's document dialogs")
    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        @Suppress("DEPRECATION")
        super.onActivityResult(requestCode, resultCode, data)
        if (requestCode == PICK_REQUEST) {
            val uri = if (resultCode == Activity.RESULT_OK) data?.data else null
            pickerResults.offer(PickerResult(uri))
        }
    }

    override fun onWindowFocusChanged(hasFocus: Boolean) {
        super.onWindowFocusChanged(hasFocus)
        // A clear that came while in the background (Android lets only the app in front read
        // the clipboard) is done now, still only if the clipboard holds the code.
        val code = pendingClear
        if (hasFocus && code != null) {
            pendingClear = null
            clearClipboardIf(code)
        }
    }

    // ---- Screen privacy ----

    /** Allows or forbids screenshots (and the recent-apps picture), now and at every start. */
    fun setScreenshotsAllowed(allowed: Boolean) {
        prefs().edit().putBoolean(SCREENSHOTS_ALLOWED, allowed).apply()
        runOnUiThread { applyScreenshotPolicy(allowed) }
    }

    private fun applyScreenshotPolicy(allowed: Boolean) {
        if (allowed) {
            window.clearFlags(WindowManager.LayoutParams.FLAG_SECURE)
        } else {
            window.setFlags(
                WindowManager.LayoutParams.FLAG_SECURE,
                WindowManager.LayoutParams.FLAG_SECURE,
            )
        }
    }

    private fun prefs() = getSharedPreferences(PREFS, Context.MODE_PRIVATE)

    // ---- Files through the system's dialogs (call from a worker thread, never the UI's) ----

    /** Asks where to create a document called `name`; its URI, or null when cancelled. */
    fun createDocument(name: String, mime: String): String? {
        val intent = Intent(Intent.ACTION_CREATE_DOCUMENT)
            .addCategory(Intent.CATEGORY_OPENABLE)
            .setType(mime)
            .putExtra(Intent.EXTRA_TITLE, name)
        return pick(intent)
    }

    /** Asks which document to open; its URI, or null when cancelled. */
    fun openDocument(): String? {
        val intent = Intent(Intent.ACTION_OPEN_DOCUMENT)
            .addCategory(Intent.CATEGORY_OPENABLE)
            .setType("*/*")
        return pick(intent)
    }

    private fun pick(intent: Intent): String? {
        check(Looper.myLooper() != Looper.getMainLooper()) {
            "a document dialog waits for its answer: call it from a worker thread"
        }
        return synchronized(pickerLock) {
            pickerResults.clear()
            runOnUiThread {
                try {
                    @Suppress("DEPRECATION")
                    startActivityForResult(intent, PICK_REQUEST)
                } catch (e: Exception) {
                    pickerResults.offer(PickerResult(null))
                }
            }
            var result: PickerResult? = null
            while (result == null && !isFinishing && !isDestroyed) {
                result = pickerResults.poll(1, TimeUnit.SECONDS)
            }
            result?.uri?.toString()
        }
    }

    /** Writes `data` as the whole document (truncating what was there). */
    fun writeDocument(uri: String, data: ByteArray) {
        val stream = contentResolver.openOutputStream(Uri.parse(uri), "wt")
            ?: throw IOException("the document could not be opened for writing")
        stream.use {
            it.write(data)
            it.flush()
        }
    }

    /** Reads the whole document; refuses one larger than `max` bytes. */
    fun readDocument(uri: String, max: Int): ByteArray {
        val stream = contentResolver.openInputStream(Uri.parse(uri))
            ?: throw IOException("the document could not be opened for reading")
        return stream.use {
            val out = ByteArrayOutputStream()
            val buffer = ByteArray(64 * 1024)
            var n = it.read(buffer)
            while (n >= 0) {
                if (out.size() + n > max) throw IOException("the document is larger than $max bytes")
                out.write(buffer, 0, n)
                n = it.read(buffer)
            }
            out.toByteArray()
        }
    }

    /** The name the user sees for a document (for messages), or its URI. */
    fun documentName(uri: String): String {
        contentResolver.query(Uri.parse(uri), arrayOf(OpenableColumns.DISPLAY_NAME), null, null, null)
            ?.use { cursor -> if (cursor.moveToFirst()) return cursor.getString(0) ?: uri }
        return uri
    }

    /** Deletes a document Tessera created (a backup that failed its read-back check). */
    fun deleteDocument(uri: String): Boolean =
        try {
            android.provider.DocumentsContract.deleteDocument(contentResolver, Uri.parse(uri))
        } catch (e: Exception) {
            false
        }

    /** The share sheet for a document Tessera wrote (a second way out: Mail, a messenger, Drive). */
    fun shareDocument(uri: String, mime: String) {
        val send = Intent(Intent.ACTION_SEND)
            .setType(mime)
            .putExtra(Intent.EXTRA_STREAM, Uri.parse(uri))
            .addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
        runOnUiThread { startActivity(Intent.createChooser(send, "Share")) }
    }

    // ---- Clipboard ----

    /** Puts `text` on the clipboard, marked sensitive: no preview, kept out of history. */
    fun copySensitive(text: String) {
        onUiThreadAndWait {
            val clip = ClipData.newPlainText("Tessera code", text)
            clip.description.extras = PersistableBundle().apply {
                // ClipDescription.EXTRA_IS_SENSITIVE (Android 13), by name for older SDKs.
                putBoolean("android.content.extra.IS_SENSITIVE", true)
            }
            clipboard().setPrimaryClip(clip)
        }
    }

    /**
     * Clears the clipboard if it still holds `text`; true when it did. In the background
     * Android hides the clipboard from the app, so the check and the clear wait until
     * Tessera is in front again.
     */
    fun clearClipboardIf(text: String): Boolean {
        var cleared = false
        onUiThreadAndWait {
            val board = clipboard()
            if (!hasWindowFocus()) {
                pendingClear = text
                return@onUiThreadAndWait
            }
            val now = board.primaryClip
            val holds = now != null && now.itemCount > 0 &&
                now.description.hasMimeType(ClipDescription.MIMETYPE_TEXT_PLAIN) &&
                now.getItemAt(0).text?.toString() == text
            if (holds) {
                if (android.os.Build.VERSION.SDK_INT >= 28) {
                    board.clearPrimaryClip()
                } else {
                    board.setPrimaryClip(ClipData.newPlainText("", ""))
                }
                cleared = true
            }
        }
        return cleared
    }

    private fun clipboard() = getSystemService(Context.CLIPBOARD_SERVICE) as ClipboardManager

    private fun onUiThreadAndWait(work: () -> Unit) {
        if (Looper.myLooper() == Looper.getMainLooper()) {
            work()
            return
        }
        val done = CountDownLatch(1)
        runOnUiThread {
            try {
                work()
            } finally {
                done.countDown()
            }
        }
        done.await(5, TimeUnit.SECONDS)
    }

    companion object {
        private const val PICK_REQUEST = 0x7e55
        private const val PREFS = "tessera"
        private const val SCREENSHOTS_ALLOWED = "screenshots_allowed"
    }
}
