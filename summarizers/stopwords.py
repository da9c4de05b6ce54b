"""Stop words for French and English, in the form the tokenizer produces (lowercase, elisions split)."""

from __future__ import annotations

FRENCH = frozenset(
    """
l d qu j n s c m t jusqu lorsqu puisqu quoiqu quelqu presqu
le la les un une des du de au aux
je tu il elle on nous vous ils elles me te se moi toi lui leur leurs eux soi y en
ce ceci cela ça celui celle ceux celles ci là qui que quoi dont où
lequel laquelle lesquels lesquelles auquel auxquels auxquelles duquel desquels desquelles
mon ma mes ton ta tes son sa ses notre nos votre vos
mien mienne miens miennes tien tienne tiens tiennes sien sienne siens siennes nôtre nôtres vôtre vôtres
cet cette ces
être suis es est sommes êtes sont étais était étions étiez étaient été serai seras sera serons serez
seront serais serait serions seriez seraient sois soit soyons soyez soient fus fut fûmes furent fût étant
avoir ai as a avons avez ont avais avait avions aviez avaient eu eue eus eues aurai auras aura aurons
aurez auront aurais aurait aurions auriez auraient aie aies ait ayons ayez aient eut eurent eût ayant
faire fais fait faite faits faites faisons font faisais faisait faisions faisaient ferai feras fera
ferons ferez feront ferais ferait ferions feraient fasse fasses fassent faisant fit firent
pouvoir peux peut pouvons pouvez peuvent pouvait pouvaient pourra pourront pourrait pourraient pu puisse
devoir dois doit devons devez doivent devait devaient devra devront devrait devraient dû
aller vais vas va allons allez vont allait allaient ira iront irait iraient allé allée allés
à dans par pour vers avec sans sous sur chez entre contre depuis pendant avant après selon malgré
parmi jusque hors outre envers via dès durant lors auprès près loin face grâce afin travers
et ou mais donc or ni car si comme quand lorsque puisque parce quoique tandis
alors ainsi cependant pourtant toutefois néanmoins sinon puis ensuite enfin aussi également
ne pas plus moins très trop peu beaucoup bien mal encore déjà toujours jamais rien personne
tout tous toute toutes autre autres même mêmes tel telle tels telles chaque quelque quelques
plusieurs certain certaine certains certaines aucun aucune nul nulle ici ailleurs
surtout seulement non oui assez tant tellement presque environ vraiment notamment voici voilà
etc quel quelle quels quelles comment pourquoi combien désormais souvent parfois
maintenant aujourd'hui hier demain tantôt aussitôt bientôt tard tôt
""".split()
)

ENGLISH = frozenset(
    """
s t d m ll re ve don doesn didn isn aren wasn weren hasn haven hadn won wouldn shouldn couldn
can cannot mustn needn ain
a an the this that these those
i me my mine myself we us our ours ourselves you your yours yourself yourselves
he him his himself she her hers herself it its itself they them their theirs themselves
who whom whose which what whatever whoever whichever where when why how
be am is are was were been being
have has had having do does did doing done
make makes made making
will would shall should may might must could
get gets got getting go goes went gone going
say says said
of at by for with about against between into through during before after above below
to from up down in out on off over under again further once upon within without along
across behind beyond among around toward towards onto via per than since until till
and or but nor so yet if because as while although though unless whether
then there here thus hence therefore however moreover also too very just only even still
already always never ever often sometimes soon now not no yes
all any both each few more most other others some such own same
another either neither every much many several enough less least
one ones something anything nothing everything someone anyone everyone nobody somebody
anybody everybody
etc eg ie vs
quite rather really perhaps maybe almost nearly else instead indeed otherwise meanwhile besides
whereas wherever whenever become becomes became becoming seem seems seemed let lets like
""".split()
)


def stop_words(language: str) -> frozenset[str]:
    """The stop words for a language code: 'fr' -> French, anything else -> English."""
    return FRENCH if language == "fr" else ENGLISH
