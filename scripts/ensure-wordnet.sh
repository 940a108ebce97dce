#!/usr/bin/env bash
# Make WordNet 3.0 readable by nltk, offline: install Debian's wordnet-base when it is missing and
# lay its database out as an nltk data folder, DIR/corpora/wordnet (default DIR:
# /usr/local/share/nltk_data, one of the folders nltk searches by itself; the service also reads
# PROVENANCE_WORDNET_DIR or NLTK_DATA). Idempotent: a second run changes nothing.
#
#   scripts/ensure-wordnet.sh [DIR]
#
# nltk's reader also needs a `lexnames` file (the lexicographer file numbers), which WordNet
# documents in lexnames(5) but Debian does not ship: it is written here from that table. nltk
# refuses data that another account could rewrite, so the folder is made owner-writable only.
set -euo pipefail
DIR=${1:-${PROVENANCE_WORDNET_DIR:-/usr/local/share/nltk_data}}
SRC=/usr/share/wordnet
FILES="adj.exc adv.exc cntlist.rev data.adj data.adv data.noun data.verb index.adj index.adv index.noun index.verb noun.exc verb.exc"

if [ ! -f "$SRC/data.verb" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends wordnet-base >/dev/null
  fi
fi
if [ ! -f "$SRC/data.verb" ]; then
  echo "wordnet-base is not installed and could not be installed ($SRC/data.verb missing)" >&2
  exit 1
fi

TARGET="$DIR/corpora/wordnet"
mkdir -p "$TARGET"
for f in $FILES; do
  if ! cmp -s "$SRC/$f" "$TARGET/$f"; then
    cp "$SRC/$f" "$TARGET/$f.tmp" && mv -f "$TARGET/$f.tmp" "$TARGET/$f"
  fi
done

# lexnames(5): file number, lexicographer file name, syntactic category (1 noun, 2 verb, 3 adj, 4 adv)
LEXNAMES="adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body
noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location noun.motive
noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process noun.quantity noun.relation
noun.shape noun.state noun.substance noun.time verb.body verb.change verb.cognition verb.communication
verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion verb.perception
verb.possession verb.social verb.stative verb.weather adj.ppl"
tmp=$(mktemp)
i=0
for name in $LEXNAMES; do
  case "$name" in noun.*) cat=1 ;; verb.*) cat=2 ;; adj.*) cat=3 ;; *) cat=4 ;; esac
  printf '%02d\t%s\t%s\n' "$i" "$name" "$cat" >>"$tmp"
  i=$((i + 1))
done
if cmp -s "$tmp" "$TARGET/lexnames"; then rm -f "$tmp"; else mv -f "$tmp" "$TARGET/lexnames"; fi

# readable by everyone (the service may run unprivileged), writable by the owner only
chmod 0755 "$DIR" "$DIR/corpora" "$TARGET"
chmod 0644 "$TARGET"/*
echo "WordNet ready in $TARGET"
