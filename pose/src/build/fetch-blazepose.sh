#!/usr/bin/env bash
# Fetches MediaPipe's pretrained BlazePose models (Apache-2.0) with the ordinary npm client, pinned
# by version and SHA-256, and copies them to $1 for bundling into the pose jar: the three landmark
# models and the pose detector. The package ships the detector as pose_solution_packed_assets.data;
# its loader script lists one member, /third_party/mediapipe/modules/pose_detection/
# pose_detection.tflite, at bytes 0-2962288 (the whole file), so it is copied as pose_detection.tflite.
# Runs at build time only (Maven's generate-resources phase); nothing is downloaded at run time.
# The package is kept in a cache outside target/ so `mvn clean` does not fetch it again.
set -euo pipefail

OUT="${1:?usage: fetch-blazepose.sh OUTPUT_DIR}"
PACKAGE="@mediapipe/pose"
VERSION="0.5.1675469404"
TGZ_SHA256="8bb349a7b3a3ba699df23be804ddd3b3eab810b50b15406894be257859388a84"
declare -A MODEL_SHA256=(
  [pose_landmark_full.tflite]="e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f"
  [pose_landmark_lite.tflite]="f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61"
  [pose_landmark_heavy.tflite]="59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe"
  [pose_detection.tflite]="a63c614bef30d35947f13be361820b1e4e3bec9cfeebf4d11216a18373108e85"
)
# the package's name of each file
declare -A MEMBER=(
  [pose_landmark_full.tflite]="pose_landmark_full.tflite"
  [pose_landmark_lite.tflite]="pose_landmark_lite.tflite"
  [pose_landmark_heavy.tflite]="pose_landmark_heavy.tflite"
  [pose_detection.tflite]="pose_solution_packed_assets.data"
)
CACHE="${MEGASTREAM_CACHE:-$HOME/.cache/megastream}/mediapipe-pose-$VERSION"

sha() { sha256sum "$1" | cut -d' ' -f1; }

cached() {
  for f in "${!MODEL_SHA256[@]}"; do
    [[ -f "$CACHE/$f" && "$(sha "$CACHE/$f")" == "${MODEL_SHA256[$f]}" ]] || return 1
  done
}

if ! cached; then
  if ! command -v npm >/dev/null; then
    echo "fetch-blazepose: npm is needed once to fetch $PACKAGE@$VERSION (BlazePose):" \
      "install it (Debian/Ubuntu: apt-get install npm) and build again" >&2
    exit 1
  fi
  mkdir -p "$CACHE"
  WORK="$(mktemp -d "$CACHE/.fetch.XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
  echo "fetch-blazepose: npm pack $PACKAGE@$VERSION" >&2
  (cd "$WORK" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
  TGZ="$WORK/mediapipe-pose-$VERSION.tgz"
  if [[ "$(sha "$TGZ")" != "$TGZ_SHA256" ]]; then
    echo "fetch-blazepose: checksum mismatch for $TGZ (expected $TGZ_SHA256); refusing it" >&2
    exit 1
  fi
  members=()
  for f in "${!MODEL_SHA256[@]}"; do members+=("package/${MEMBER[$f]}"); done
  tar -xzf "$TGZ" -C "$WORK" "${members[@]}"
  for f in "${!MODEL_SHA256[@]}"; do
    if [[ "$(sha "$WORK/package/${MEMBER[$f]}")" != "${MODEL_SHA256[$f]}" ]]; then
      echo "fetch-blazepose: checksum mismatch for ${MEMBER[$f]}; refusing it" >&2
      exit 1
    fi
    mv "$WORK/package/${MEMBER[$f]}" "$CACHE/$f"
  done
fi

mkdir -p "$OUT"
for f in "${!MODEL_SHA256[@]}"; do
  cp "$CACHE/$f" "$OUT/$f"
done
printf '%s@%s (Apache-2.0, https://www.npmjs.com/package/%s)\n' "$PACKAGE" "$VERSION" "$PACKAGE" \
  >"$OUT/SOURCE.txt"
