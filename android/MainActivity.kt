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
// - Sync folder: a folder the user picks (the one Syncthing-Fork or Nextcloud keeps in step),
//   kept with a persistable grant; Rust lists, reads and replaces its files by name.
// - Clipboard: codes are marked sensitive (no preview, no clipboard history), and cleared
//   later only if the clipboard still holds that code.
// - Biometric unlock: an AndroidKeyStore AES-256-GCM key per slot that needs the user's strong
//   biometric for every use and dies when a fingerprint or face is added; Rust's slot key is
//   sealed and opened only by a Cipher that BiometricPrompt unlocked (CryptoObject). Answers
//   go back to Rust through the native onBiometricResult, with the request's id.
package dev.dioxus.main

import android.app.Activity
import android.content.pm.PackageManager
import android.hardware.biometrics.BiometricManager
import android.hardware.biometrics.BiometricPrompt
import android.os.Build
import android.os.CancellationSignal
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import java.security.KeyStore
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import android.content.ClipData
import android.content.ClipDescription
import android.content.ClipboardManager
import android.content.Context
import android.content.Intent
import android.net.Uri
import android.os.Bundle
import android.os.Looper
import android.os.PersistableBundle
import android.provider.DocumentsContract
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

    // ---- The sync folder, through the Storage Access Framework (worker thread only) ----

    /** Asks which folder to sync through; its tree URI, readable and writable across restarts, or null when cancelled. */
    fun pickFolder(): String? {
        val grant = Intent.FLAG_GRANT_READ_URI_PERMISSION or Intent.FLAG_GRANT_WRITE_URI_PERMISSION
        val intent = Intent(Intent.ACTION_OPEN_DOCUMENT_TREE)
            .addFlags(grant or Intent.FLAG_GRANT_PERSISTABLE_URI_PERMISSION)
        val uri = pick(intent) ?: return null
        contentResolver.takePersistableUriPermission(Uri.parse(uri), grant)
        return uri
    }

    private class Child(val name: String, val id: String, val modified: Long)

    /** The files (not folders) directly in the tree `tree`. */
    private fun children(tree: Uri): List<Child> {
        val parent = DocumentsContract.getTreeDocumentId(tree)
        val uri = DocumentsContract.buildChildDocumentsUriUsingTree(tree, parent)
        val columns = arrayOf(
            DocumentsContract.Document.COLUMN_DISPLAY_NAME,
            DocumentsContract.Document.COLUMN_DOCUMENT_ID,
            DocumentsContract.Document.COLUMN_MIME_TYPE,
            DocumentsContract.Document.COLUMN_LAST_MODIFIED,
        )
        val cursor = contentResolver.query(uri, columns, null, null, null)
            ?: throw IOException("the sync folder cannot be listed; choose it again in Settings")
        val out = ArrayList<Child>()
        cursor.use { c ->
            while (c.moveToNext()) {
                val name = c.getString(0) ?: continue
                val id = c.getString(1) ?: continue
                if (c.getString(2) == DocumentsContract.Document.MIME_TYPE_DIR) continue
                out.add(Child(name, id, if (c.isNull(3)) 0L else c.getLong(3)))
            }
        }
        return out
    }

    /** The sync folder's files, one `name<TAB>last modified in ms` per line. */
    fun listFolder(tree: String): String =
        children(Uri.parse(tree)).joinToString("\n") { "${it.name}\t${it.modified}" }

    /** The file `name` of the sync folder (at most `max` bytes), or null when there is none. */
    fun readInFolder(tree: String, name: String, max: Int): ByteArray? {
        val root = Uri.parse(tree)
        val child = children(root).firstOrNull { it.name == name } ?: return null
        return readDocument(DocumentsContract.buildDocumentUriUsingTree(root, child.id).toString(), max)
    }

    /** Replaces the file `name` of the sync folder whole: written under a temporary name that
     *  starts with a dot, then renamed over the old file; in place where the folder's
     *  provider cannot rename. */
    fun writeInFolder(tree: String, name: String, data: ByteArray) {
        val root = Uri.parse(tree)
        val parent = DocumentsContract.buildDocumentUriUsingTree(root, DocumentsContract.getTreeDocumentId(root))
        val old = children(root).firstOrNull { it.name == name }
            ?.let { DocumentsContract.buildDocumentUriUsingTree(root, it.id) }
        val mime = "application/octet-stream"
        val temp = DocumentsContract.createDocument(contentResolver, parent, mime, ".$name.tmp-${System.nanoTime()}")
            ?: throw IOException("the sync folder refused a new file")
        var oldGone = old == null
        try {
            writeDocument(temp.toString(), data)
            if (old != null) oldGone = DocumentsContract.deleteDocument(contentResolver, old)
            DocumentsContract.renameDocument(contentResolver, temp, name)
                ?: throw IOException("the sync folder refused to rename a file")
        } catch (e: UnsupportedOperationException) {
            try { DocumentsContract.deleteDocument(contentResolver, temp) } catch (ignored: Exception) {}
            val target = (if (oldGone) null else old)
                ?: DocumentsContract.createDocument(contentResolver, parent, mime, name)
                ?: throw IOException("the sync folder refused a new file")
            writeDocument(target.toString(), data)
        } catch (e: Exception) {
            try { DocumentsContract.deleteDocument(contentResolver, temp) } catch (ignored: Exception) {}
            throw e
        }
    }

    /** The share sheet for a document Tessera wrote (a second way out: Mail, a messenger, Drive). */
    fun shareDocument(uri: String, mime: String) {
        val send = Intent(Intent.ACTION_SEND)
            .setType(mime)
            .putExtra(Intent.EXTRA_STREAM, Uri.parse(uri))
            .addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
        runOnUiThread { startActivity(Intent.createChooser(send, "Share")) }
    }

    // ---- Biometric unlock (keys in AndroidKeyStore, used only after BiometricPrompt) ----

    /** Rust's side of a prompt: the answer to request `requestId` (one of the PROMPT_ codes). */
    external fun onBiometricResult(requestId: Int, status: Int, iv: ByteArray?, data: ByteArray?, message: String?)

    private fun answer(requestId: Int, status: Int, iv: ByteArray?, data: ByteArray?, message: String?) {
        try {
            onBiometricResult(requestId, status, iv, data, message)
        } finally {
            data?.fill(0)
        }
    }

    /** Which strong biometric this phone offers now: one of the BIO_ codes. */
    fun biometricAvailability(): Int {
        if (Build.VERSION.SDK_INT < 30) return BIO_OLD_ANDROID
        val manager = getSystemService(BiometricManager::class.java) ?: return BIO_NO_HARDWARE
        return when (manager.canAuthenticate(BiometricManager.Authenticators.BIOMETRIC_STRONG)) {
            BiometricManager.BIOMETRIC_SUCCESS -> {
                val finger = packageManager.hasSystemFeature(PackageManager.FEATURE_FINGERPRINT)
                val face = packageManager.hasSystemFeature(PackageManager.FEATURE_FACE)
                when {
                    finger && !face -> BIO_FINGERPRINT
                    face && !finger -> BIO_FACE
                    else -> BIO_ANY
                }
            }
            BiometricManager.BIOMETRIC_ERROR_NONE_ENROLLED -> BIO_NONE_ENROLLED
            else -> BIO_NO_HARDWARE
        }
    }

    /** The key `alias`, made when missing and `create` (StrongBox where the phone has one). */
    private fun biometricKey(alias: String, create: Boolean): SecretKey? {
        val store = KeyStore.getInstance(ANDROID_KEY_STORE).apply { load(null) }
        (store.getKey(alias, null) as? SecretKey)?.let { return it }
        if (!create) return null
        val strongBox = Build.VERSION.SDK_INT >= 28 &&
            packageManager.hasSystemFeature(PackageManager.FEATURE_STRONGBOX_KEYSTORE)
        return try {
            generateBiometricKey(alias, strongBox)
        } catch (e: StrongBoxUnavailableException) {
            generateBiometricKey(alias, false)
        }
    }

    private fun generateBiometricKey(alias: String, strongBox: Boolean): SecretKey {
        val spec = KeyGenParameterSpec.Builder(
            alias,
            KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT,
        )
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            // Every use needs the user's strong biometric, checked by the keystore itself.
            .setUserAuthenticationRequired(true)
            .setUserAuthenticationParameters(0, KeyProperties.AUTH_BIOMETRIC_STRONG)
            // A new fingerprint or face kills the key: whoever adds one cannot unlock Tessera.
            .setInvalidatedByBiometricEnrollment(true)
            .setIsStrongBoxBacked(strongBox)
            .build()
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEY_STORE)
        generator.init(spec)
        return generator.generateKey()
    }

    /** Seals Rust's slot key under the key `alias` after the prompt; answers with IV and data. */
    fun biometricSeal(requestId: Int, alias: String, secret: ByteArray) {
        runOnUiThread {
            val cipher = try {
                if (Build.VERSION.SDK_INT < 30) {
                    secret.fill(0)
                    answer(requestId, PROMPT_UNAVAILABLE, null, null, "Android 11 or newer is needed")
                    return@runOnUiThread
                }
                Cipher.getInstance(TRANSFORMATION).apply {
                    init(Cipher.ENCRYPT_MODE, biometricKey(alias, true))
                }
            } catch (e: KeyPermanentlyInvalidatedException) {
                secret.fill(0)
                answer(requestId, PROMPT_INVALIDATED, null, null, null)
                return@runOnUiThread
            } catch (e: Exception) {
                secret.fill(0)
                answer(requestId, PROMPT_FAILED, null, null, e.message)
                return@runOnUiThread
            }
            authenticate(requestId, cipher, "Turn on biometric unlock", { secret.fill(0) }) { unlocked ->
                val sealed = unlocked.doFinal(secret)
                secret.fill(0)
                answer(requestId, PROMPT_OK, unlocked.iv, sealed, null)
            }
        }
    }

    /** Opens a slot key sealed by `biometricSeal` after the prompt; answers with the key. */
    fun biometricOpen(requestId: Int, alias: String, iv: ByteArray, data: ByteArray) {
        runOnUiThread {
            val cipher = try {
                if (Build.VERSION.SDK_INT < 30) {
                    answer(requestId, PROMPT_UNAVAILABLE, null, null, "Android 11 or newer is needed")
                    return@runOnUiThread
                }
                val key = biometricKey(alias, false)
                if (key == null) {
                    answer(requestId, PROMPT_INVALIDATED, null, null, null)
                    return@runOnUiThread
                }
                Cipher.getInstance(TRANSFORMATION).apply {
                    init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(128, iv))
                }
            } catch (e: KeyPermanentlyInvalidatedException) {
                answer(requestId, PROMPT_INVALIDATED, null, null, null)
                return@runOnUiThread
            } catch (e: Exception) {
                answer(requestId, PROMPT_FAILED, null, null, e.message)
                return@runOnUiThread
            }
            authenticate(requestId, cipher, "Unlock Tessera", {}) { unlocked ->
                answer(requestId, PROMPT_OK, null, unlocked.doFinal(data), null)
            }
        }
    }

    /** Deletes the key `alias` (biometric unlock turned off, or replaced). */
    fun biometricDelete(alias: String) {
        val store = KeyStore.getInstance(ANDROID_KEY_STORE).apply { load(null) }
        if (store.containsAlias(alias)) store.deleteEntry(alias)
    }

    /** Shows BiometricPrompt for `cipher`; on a match runs `use` with the unlocked cipher. */
    private fun authenticate(
        requestId: Int,
        cipher: Cipher,
        title: String,
        onRefused: () -> Unit,
        use: (Cipher) -> Unit,
    ) {
        val executor = mainExecutor
        val prompt = BiometricPrompt.Builder(this)
            .setTitle(title)
            .setSubtitle("Tessera")
            .setAllowedAuthenticators(BiometricManager.Authenticators.BIOMETRIC_STRONG)
            .setConfirmationRequired(false)
            .setNegativeButton("Use password", executor) { _, _ ->
                onRefused()
                answer(requestId, PROMPT_CANCELLED, null, null, null)
            }
            .build()
        val callback = object : BiometricPrompt.AuthenticationCallback() {
            override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                val unlocked = result.cryptoObject?.cipher
                if (unlocked == null) {
                    onRefused()
                    answer(requestId, PROMPT_FAILED, null, null, "the prompt returned no cipher")
                    return
                }
                try {
                    use(unlocked)
                } catch (e: AEADBadTagException) {
                    onRefused()
                    answer(requestId, PROMPT_DAMAGED, null, null, null)
                } catch (e: KeyPermanentlyInvalidatedException) {
                    onRefused()
                    answer(requestId, PROMPT_INVALIDATED, null, null, null)
                } catch (e: Exception) {
                    onRefused()
                    answer(requestId, PROMPT_FAILED, null, null, e.message)
                }
            }

            override fun onAuthenticationError(code: Int, message: CharSequence?) {
                onRefused()
                val status = when (code) {
                    BiometricPrompt.BIOMETRIC_ERROR_CANCELED,
                    BiometricPrompt.BIOMETRIC_ERROR_USER_CANCELED -> PROMPT_CANCELLED
                    BiometricPrompt.BIOMETRIC_ERROR_NO_BIOMETRICS,
                    BiometricPrompt.BIOMETRIC_ERROR_HW_NOT_PRESENT -> PROMPT_UNAVAILABLE
                    else -> PROMPT_FAILED
                }
                answer(requestId, status, null, null, message?.toString())
            }
            // onAuthenticationFailed (a finger that did not match) keeps the prompt up.
        }
        prompt.authenticate(BiometricPrompt.CryptoObject(cipher), CancellationSignal(), executor, callback)
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
        private const val ANDROID_KEY_STORE = "AndroidKeyStore"
        private const val TRANSFORMATION = "AES/GCM/NoPadding"

        // biometricAvailability() (src/platform/jni_calls.rs: codes, checked by a test).
        const val BIO_NO_HARDWARE = 0
        const val BIO_NONE_ENROLLED = 1
        const val BIO_OLD_ANDROID = 2
        const val BIO_FINGERPRINT = 10
        const val BIO_FACE = 11
        const val BIO_ANY = 12

        // onBiometricResult's status.
        const val PROMPT_OK = 0
        const val PROMPT_CANCELLED = 1
        const val PROMPT_FAILED = 2
        const val PROMPT_INVALIDATED = 3
        const val PROMPT_UNAVAILABLE = 4
        const val PROMPT_DAMAGED = 5
    }
}
